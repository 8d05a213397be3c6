//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore

/// NIO adapter over `RemotingFrameParser`.
public struct RemotingCommandDecoder: ByteToMessageDecoder {
    public typealias InboundOut = RemotingCommand
    let parser: RemotingFrameParser

    public init(maxFrameLength: Int = RemotingFrameParser.defaultMaxFrameLength) {
        self.parser = RemotingFrameParser(maxFrameLength: maxFrameLength)
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let command = try parser.parse(&buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(command))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        try decode(context: context, buffer: &buffer)
    }
}

/// Writes commands as frames: the header into a small buffer, the body as its own write (no copy of
/// large pull bodies into a second buffer).
public final class RemotingCommandEncoder: ChannelOutboundHandler {
    public typealias OutboundIn = RemotingCommand
    public typealias OutboundOut = ByteBuffer

    public init() {}

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let command = Self.unwrapOutboundIn(data)
        let body = command.body
        var header = context.channel.allocator.buffer(capacity: 256)
        var withoutBody = command
        withoutBody.body = nil
        RemotingFrameParser.encode(withoutBody, into: &header)
        if let body, body.readableBytes > 0 {
            // Patch the total length to include the body written separately.
            let headerTotal: Int32 = header.getInteger(at: header.readerIndex) ?? 0
            header.setInteger(headerTotal + Int32(body.readableBytes), at: header.readerIndex)
            if body.readableBytes < 4096 {
                var b = body
                header.writeBuffer(&b)
                context.write(Self.wrapOutboundOut(header), promise: promise)
            } else {
                context.write(Self.wrapOutboundOut(header), promise: nil)
                context.write(Self.wrapOutboundOut(body), promise: promise)
            }
        } else {
            context.write(Self.wrapOutboundOut(header), promise: promise)
        }
    }
}

@available(*, unavailable)
extension RemotingCommandEncoder: Sendable {}
