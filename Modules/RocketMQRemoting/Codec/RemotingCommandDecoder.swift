//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore

/// NIO adapter over `RemotingFrameParser`.
///
/// With a `frameReadTimeout`, a frame that has started arriving must be complete within that time, or
/// the connection is closed: a client trickling a frame a byte at a time (slowloris) keeps the idle
/// timer happy forever and pins a connection and its buffer. Frames are length-checked as soon as
/// their first 4 bytes arrive, so an announced 2 GiB frame fails at once and nothing is allocated.
public struct RemotingCommandDecoder: ByteToMessageDecoder {
    public typealias InboundOut = RemotingCommand
    let parser: RemotingFrameParser
    let partialFrames: PartialFrameDeadline?

    public init(maxFrameLength: Int = RemotingFrameParser.defaultMaxFrameLength, frameReadTimeout: TimeAmount? = nil,
                onTimeout: (@Sendable (any Channel, TimeAmount) -> Void)? = nil) {
        self.parser = RemotingFrameParser(maxFrameLength: maxFrameLength)
        self.partialFrames = frameReadTimeout.map { PartialFrameDeadline(timeout: $0, onTimeout: onTimeout) }
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let command = try parser.parse(&buffer) else {
            if let partialFrames, buffer.readableBytes > 0 { partialFrames.frameIsPartial(context: context) }
            return .needMoreData
        }
        partialFrames?.frameCompleted()
        context.fireChannelRead(Self.wrapInboundOut(command))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        try decode(context: context, buffer: &buffer)
    }
}

/// When the oldest incomplete frame of one connection started arriving, and the one timer that checks it.
///
/// At most one timer per connection is outstanding, and only while a frame is incomplete, so complete
/// frames (the common case) cost two stores and no scheduling.
final class PartialFrameDeadline {
    let timeout: TimeAmount
    let onTimeout: (@Sendable (any Channel, TimeAmount) -> Void)?
    private var partialSince: NIODeadline?
    private var timerScheduled = false

    init(timeout: TimeAmount, onTimeout: (@Sendable (any Channel, TimeAmount) -> Void)?) {
        self.timeout = timeout
        self.onTimeout = onTimeout
    }

    func frameCompleted() { partialSince = nil }

    func frameIsPartial(context: ChannelHandlerContext) {
        if partialSince == nil { partialSince = .now() }
        guard !timerScheduled else { return }
        schedule(channel: context.channel, at: partialSince! + timeout)
    }

    private func schedule(channel: any Channel, at deadline: NIODeadline) {
        timerScheduled = true
        let bound = NIOLoopBound(self, eventLoop: channel.eventLoop)
        channel.eventLoop.scheduleTask(deadline: deadline) {
            bound.value.check(channel: channel)
        }
    }

    private func check(channel: any Channel) {
        timerScheduled = false
        guard let since = partialSince, channel.isActive else { return }
        let due = since + timeout
        if due <= .now() {
            onTimeout?(channel, timeout)
            channel.close(promise: nil)
        } else {
            schedule(channel: channel, at: due)
        }
    }
}

@available(*, unavailable)
extension PartialFrameDeadline: Sendable {}

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
