//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon

/// The ROCKETMQ binary header codec (serialize type 1, PROTOCOL.md §2.2).
///
/// Zero-length strings decode as absent, as in Java (so an empty ext value does not survive this codec).
public enum RocketMQHeaderCodec {
    public static func encode(_ command: RemotingCommand, into buffer: inout ByteBuffer) {
        let s = command.storage
        buffer.writeInteger(Int16(truncatingIfNeeded: s.code))
        buffer.writeInteger(s.language.rawValue)
        buffer.writeInteger(Int16(truncatingIfNeeded: s.version))
        buffer.writeInteger(s.opaque)
        buffer.writeInteger(s.flag)
        if let remark = s.remark, !remark.isEmpty {
            buffer.writeInteger(Int32(remark.utf8.count))
            buffer.writeString(remark)
        } else {
            buffer.writeInteger(Int32(0))
        }
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        let start = buffer.writerIndex
        for (key, value) in s.extFields {
            buffer.writeInteger(Int16(key.utf8.count))
            buffer.writeString(key)
            buffer.writeInteger(Int32(value.utf8.count))
            buffer.writeString(value)
        }
        buffer.setInteger(Int32(buffer.writerIndex - start), at: lengthIndex)
    }

    public static func decode(_ header: inout ByteBuffer, body: ByteBuffer?) throws(RemotingDecodingError) -> RemotingCommand {
        guard let code: Int16 = header.readInteger(), let language: UInt8 = header.readInteger(),
              let version: Int16 = header.readInteger(), let opaque: Int32 = header.readInteger(),
              let flag: Int32 = header.readInteger(), let remarkLength: Int32 = header.readInteger()
        else { throw .invalidHeader("binary header shorter than 17 bytes") }
        guard remarkLength >= 0, let remarkText = header.readString(length: Int(remarkLength)) else {
            throw .invalidHeader("remark length \(remarkLength) beyond the header")
        }
        guard let extLength: Int32 = header.readInteger(), extLength >= 0, var ext = header.readSlice(length: Int(extLength)) else {
            throw .invalidHeader("ext fields length beyond the header")
        }
        var fields: [String: String] = [:]
        while ext.readableBytes > 0 {
            guard let keyLength: Int16 = ext.readInteger(), keyLength >= 0, let key = ext.readString(length: Int(keyLength)),
                  let valueLength: Int32 = ext.readInteger(), valueLength >= 0,
                  let value = ext.readString(length: Int(valueLength))
            else { throw .invalidHeader("truncated ext field entry") }
            if !key.isEmpty && !value.isEmpty { fields[key] = value }
        }
        return RemotingCommand(code: Int32(code), language: LanguageCode(rawValue: language), version: Int32(version),
                               opaque: opaque, flag: flag, remark: remarkText.isEmpty ? nil : remarkText,
                               extFields: fields, body: body, serializeType: .rocketmq)
    }
}
