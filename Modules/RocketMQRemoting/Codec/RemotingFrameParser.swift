//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore

/// Splits a byte stream into remoting commands (PROTOCOL.md §1). Plain state, no NIO context.
///
/// `length` counts everything after itself; the second word's top byte is the header codec and its
/// low 24 bits the header length. Frames shorter than 4 or longer than `maxFrameLength` are refused.
public struct RemotingFrameParser: Sendable {
    public static let defaultMaxFrameLength = 16 * 1024 * 1024
    public let maxFrameLength: Int

    public init(maxFrameLength: Int = RemotingFrameParser.defaultMaxFrameLength) {
        self.maxFrameLength = maxFrameLength
    }

    /// Returns the next command, or nil when more bytes are needed.
    public func parse(_ buffer: inout ByteBuffer) throws(RemotingDecodingError) -> RemotingCommand? {
        guard let length: Int32 = buffer.getInteger(at: buffer.readerIndex) else { return nil }
        let frameLength = Int(length)
        guard frameLength >= 4 else { throw .frameTooShort(frameLength) }
        guard frameLength <= maxFrameLength else { throw .frameTooLarge(frameLength) }
        guard buffer.readableBytes >= 4 + frameLength else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        guard var frame = buffer.readSlice(length: frameLength), let word: UInt32 = frame.readInteger() else {
            throw .frameTooShort(frameLength)
        }
        let headerLength = Int(word & 0x00FF_FFFF)
        let type = UInt8(word >> 24)
        guard headerLength <= frameLength - 4 else {
            throw .headerLengthBeyondFrame(headerLength: headerLength, frameLength: frameLength)
        }
        guard var header = frame.readSlice(length: headerLength) else {
            throw .headerLengthBeyondFrame(headerLength: headerLength, frameLength: frameLength)
        }
        let body: ByteBuffer? = frame.readableBytes > 0 ? frame : nil
        switch type {
        case SerializeType.json.rawValue:
            return try header.withUnsafeReadableBytes { (raw) throws(RemotingDecodingError) -> RemotingCommand in
                try JSONHeaderCodec.decode(raw, body: body)
            }
        case SerializeType.rocketmq.rawValue:
            return try RocketMQHeaderCodec.decode(&header, body: body)
        default:
            throw .unknownSerializeType(type)
        }
    }

    /// Writes a whole frame for a command in its serialization type.
    public static func encode(_ command: RemotingCommand, into buffer: inout ByteBuffer) {
        let start = buffer.writerIndex
        buffer.writeInteger(Int32(0))  // length, patched below
        buffer.writeInteger(UInt32(0))  // header length and type, patched below
        let headerStart = buffer.writerIndex
        switch command.serializeType {
        case .json: JSONHeaderCodec.encode(command, into: &buffer)
        case .rocketmq: RocketMQHeaderCodec.encode(command, into: &buffer)
        }
        let headerLength = buffer.writerIndex - headerStart
        let bodyLength = command.body?.readableBytes ?? 0
        buffer.setInteger(Int32(4 + headerLength + bodyLength), at: start)
        buffer.setInteger(UInt32(command.serializeType.rawValue) << 24 | UInt32(headerLength), at: start + 4)
        if var body = command.body { buffer.writeBuffer(&body) }
    }
}
