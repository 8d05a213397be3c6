//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import RocketMQCommon

/// The master's side of one slave link (Java `DefaultHAConnection`: its read and write services).
///
/// Confined to the channel's event loop. The slave's first offset report says where to start (0 =
/// the start of the master's newest file); later reports acknowledge what it wrote and release
/// SYNC_MASTER waiters. Commit-log bytes go out in blocks of ``MessageStoreConfig/haTransferBatchSize``
/// while the socket is writable; an idle link gets an empty heartbeat every
/// ``MessageStoreConfig/haSendHeartbeatInterval`` ms and is closed after
/// ``MessageStoreConfig/haHousekeepingInterval`` ms of silence from the slave. A peer whose reports
/// are not offsets of this log (a foreign client, or a slave with a longer or forked log) is
/// dropped with one log line.
final class HAConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let service: HAService
    private var reports = HAReportParser()
    private var context: ChannelHandlerContext?
    private var ref: HAConnectionRef?
    private var tick: RepeatedTask?
    private var remote = "?"
    /// Next commit-log offset to send; -1 until the slave's first report.
    private var nextTransfer: Int64 = -1
    private var lastAck: Int64 = -1
    private var lastReadNanos: UInt64 = 0
    private var lastWriteNanos: UInt64 = 0
    /// Bytes sent since the last tick, for the transfer speed.
    private var bytesSinceTick: Int64 = 0
    /// Bytes sent per turn of the loop before yielding to other channels.
    private static let turnBudget = 1 << 20

    init(service: HAService) {
        self.service = service
    }

    func channelActive(context: ChannelHandlerContext) {
        self.context = context
        self.remote = context.channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
        let now = Clock.nanos()
        self.lastReadNanos = now
        self.lastWriteNanos = now
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        self.tick = context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
            bound.value.onTick()
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.tick?.cancel()
        self.tick = nil
        if let ref = self.ref {
            self.service.unregister(ref)
            self.ref = nil
            self.service.logger.info(
                "HA slave disconnected", metadata: ["slave": "\(self.remote)", "ackedOffset": "\(self.lastAck)"])
        }
        self.context = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.lastReadNanos = Clock.nanos()
        guard let offset = self.reports.append(self.unwrapInboundIn(data)) else { return }
        self.handleReport(offset)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { self.transferIfPossible() }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.close(reason: "HA connection error: \(error)")
    }

    /// Closes the link, logging `reason` once when given.
    func close(reason: String?) {
        if let reason {
            self.service.logger.warning("\(reason)", metadata: ["slave": "\(self.remote)"])
        }
        self.context?.close(promise: nil)
    }

    private func handleReport(_ offset: Int64) {
        let masterEnd = self.service.commitLog.maxOffset
        if self.ref == nil {
            guard offset >= 0, offset <= masterEnd else {
                // Tell a real slave where this log ends (a header-only frame), so it can say why it
                // cannot follow; anything else just sees the connection close.
                if offset > 0, let context {
                    var buffer = context.channel.allocator.buffer(capacity: HAFrame.transferHeaderSize)
                    HAFrame.writeTransferHeader(offset: masterEnd, bodySize: 0, into: &buffer)
                    context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
                }
                self.service.refusedPeers.add(1, ordering: .releasing)
                self.close(
                    reason: "HA peer reported offset \(offset) outside this master's log [0, \(masterEnd)]: "
                        + "not a slave of this master, or its log is longer or forked; closing")
                return
            }
            let fileSize = Int64(self.service.commitLog.fileSize)
            self.nextTransfer = offset == 0 ? masterEnd - masterEnd % fileSize : offset
            guard let context else { return }
            let ref = HAConnectionRef(handler: self, eventLoop: context.eventLoop, remoteAddress: self.remote)
            self.ref = ref
            self.service.register(ref)
            self.service.logger.info(
                "HA slave connected",
                metadata: ["slave": "\(self.remote)", "slaveRequestOffset": "\(offset)",
                           "transferFrom": "\(self.nextTransfer)"])
        } else {
            guard offset >= self.lastAck, offset <= self.nextTransfer else {
                self.close(
                    reason: "HA slave acknowledged offset \(offset), outside [\(self.lastAck), \(self.nextTransfer)] "
                        + "(what it had and what was sent); closing")
                return
            }
        }
        self.lastAck = offset
        self.ref?.ackedOffset.store(offset, ordering: .releasing)
        self.service.transfer.acknowledge(offset)
        self.transferIfPossible()
    }

    /// Sends what the log holds beyond ``nextTransfer`` while the socket takes it.
    func transferIfPossible() {
        guard let context, self.nextTransfer >= 0, context.channel.isActive else { return }
        let batch = self.service.config.haTransferBatchSize
        var sent = 0
        while context.channel.isWritable, sent < Self.turnBudget,
            let data = self.service.commitLog.replicationData(from: self.nextTransfer, maxSize: batch)
        {
            var buffer = context.channel.allocator.buffer(capacity: HAFrame.transferHeaderSize + data.size)
            HAFrame.writeTransferHeader(offset: self.nextTransfer, bodySize: Int32(data.size), into: &buffer)
            _ = data.withUnsafeBytes { buffer.writeBytes($0) }
            context.write(self.wrapOutboundOut(buffer), promise: nil)
            self.nextTransfer += Int64(data.size)
            sent += data.size
        }
        self.bytesSinceTick += Int64(sent)
        self.ref?.nextTransfer.store(self.nextTransfer, ordering: .relaxed)
        guard sent > 0 else { return }
        context.flush()
        self.lastWriteNanos = Clock.nanos()
        if sent >= Self.turnBudget && context.channel.isWritable {
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            context.eventLoop.execute { bound.value.transferIfPossible() }
        }
    }

    private func onTick() {
        guard let context else { return }
        self.ref?.bytesPerSecond.store(self.bytesSinceTick, ordering: .relaxed)
        self.bytesSinceTick = 0
        let now = Clock.nanos()
        let config = self.service.config
        if HAFrame.nanos(from: self.lastReadNanos, to: now) > UInt64(config.haHousekeepingInterval) * 1_000_000 {
            self.close(reason: "HA slave sent nothing for \(config.haHousekeepingInterval) ms; closing the link")
            return
        }
        self.transferIfPossible()
        if self.nextTransfer >= 0, HAFrame.nanos(from: self.lastWriteNanos, to: now) > UInt64(config.haSendHeartbeatInterval) * 1_000_000 {
            var buffer = context.channel.allocator.buffer(capacity: HAFrame.transferHeaderSize)
            HAFrame.writeTransferHeader(offset: self.nextTransfer, bodySize: 0, into: &buffer)
            context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
            self.lastWriteNanos = now
        }
    }
}

@available(*, unavailable)
extension HAConnectionHandler: Sendable {}
