//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import RocketMQCommon

/// The slave's side of the link (Java `DefaultHAClient`'s read/report loop), confined to its event loop.
///
/// Reports the slave's end offset on connect (which starts replication), after every read that
/// advanced it, and every ``MessageStoreConfig/haSendHeartbeatInterval`` ms. A block that does not
/// start at the slave's end means the logs differ: the slave refuses it, says why in the log and
/// drops the link rather than write anything.
final class HAClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let client: HAClient
    private var parser: HATransferParser
    private var context: ChannelHandlerContext?
    private var tick: RepeatedTask?
    private var reportedOffset: Int64 = -1
    private var lastReadNanos: UInt64 = 0
    private var lastWriteNanos: UInt64 = 0
    private var bytesSinceTick: Int64 = 0

    init(client: HAClient) {
        self.client = client
        self.parser = HATransferParser(maxBodySize: max(64 << 20, client.config.haTransferBatchSize * 4))
    }

    func channelActive(context: ChannelHandlerContext) {
        self.context = context
        let now = Clock.nanos()
        self.lastReadNanos = now
        self.report(self.client.commitLog.maxOffset, context: context)
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        self.tick = context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
            bound.value.onTick()
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.tick?.cancel()
        self.tick = nil
        self.context = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.client.logger.warning("HAClient link error; closing", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.lastReadNanos = Clock.nanos()
        let bytes = self.unwrapInboundIn(data)
        self.bytesSinceTick += Int64(bytes.readableBytes)
        self.client.lastReadMillis.store(Clock.millis(), ordering: .relaxed)
        self.parser.append(bytes)
        do {
            while let transfer = try self.parser.next() {
                guard self.apply(transfer, context: context) else {
                    context.close(promise: nil)
                    return
                }
            }
        } catch {
            self.client.logger.error("HAClient: the master sent a malformed frame; closing", metadata: ["error": "\(error)"])
            context.close(promise: nil)
            return
        }
        self.parser.compact()
        let end = self.client.commitLog.maxOffset
        if end > self.reportedOffset { self.report(end, context: context) }
    }

    /// Writes one block (or checks a heartbeat); false when the link must be dropped.
    private func apply(_ transfer: HATransfer, context: ChannelHandlerContext) -> Bool {
        let commitLog = self.client.commitLog
        let slaveEnd = commitLog.maxOffset
        if slaveEnd != 0 && transfer.offset != slaveEnd {
            let why =
                transfer.offset < slaveEnd
                ? "the master's log is shorter than this slave's (or forked)" : "bytes are missing in between"
            self.client.logger.error(
                "HAClient: master's offset \(transfer.offset) is not this slave's log end \(slaveEnd): \(why); refusing to append; check that this slave follows the right master and brokerName"
            )
            return false
        }
        guard transfer.body.readableBytes > 0 else { return true }
        let outcome = transfer.body.withUnsafeReadableBytes { commitLog.appendReplicated(at: transfer.offset, bytes: $0) }
        switch outcome {
        case .appended(let switched):
            self.client.didReplicate(switched)
            self.client.noteTransfer()
            return true
        case .offsetMismatch(let expected):
            self.client.logger.error(
                "HAClient: block at \(transfer.offset) does not continue this slave's log at \(expected); refusing to append")
            return false
        case .refused(let reason):
            self.client.logger.error("HAClient: cannot append the master's block: \(reason)")
            return false
        }
    }

    private func report(_ offset: Int64, context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: HAFrame.reportSize)
        HAFrame.writeReport(offset, into: &buffer)
        context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
        self.reportedOffset = offset
        self.lastWriteNanos = Clock.nanos()
        self.client.lastWriteMillis.store(Clock.millis(), ordering: .relaxed)
    }

    private func onTick() {
        guard let context else { return }
        self.client.bytesPerSecond.store(self.bytesSinceTick, ordering: .relaxed)
        self.bytesSinceTick = 0
        let now = Clock.nanos()
        let config = self.client.config
        if HAFrame.nanos(from: self.lastReadNanos, to: now) > UInt64(config.haHousekeepingInterval) * 1_000_000 {
            self.client.logger.warning(
                "HAClient: nothing from the master for \(config.haHousekeepingInterval) ms; closing the link")
            context.close(promise: nil)
            return
        }
        if HAFrame.nanos(from: self.lastWriteNanos, to: now) > UInt64(config.haSendHeartbeatInterval) * 1_000_000 {
            self.report(self.client.commitLog.maxOffset, context: context)
        }
    }
}

@available(*, unavailable)
extension HAClientHandler: Sendable {}
