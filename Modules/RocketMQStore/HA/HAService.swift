//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import NIOPosix
import RocketMQCommon
import Synchronization

/// Classic master/slave replication (Java `DefaultHAService`), on the wire of ``HAFrame``.
///
/// A master listens on the HA port and runs one ``HAConnectionHandler`` per slave; a slave runs the
/// ``HAClient`` towards its master. SYNC_MASTER sends wait in ``GroupTransferService`` for a slave's
/// acknowledgement. All socket work is on NIO event loops; appenders only poke connections that are
/// idle (``notifyNewData()``), so replication adds no thread hop to an ASYNC_MASTER send.
public final class HAService: Sendable {
    let config: MessageStoreConfig
    let commitLog: CommitLog
    let logger: Logger
    let group: any EventLoopGroup
    let transfer = GroupTransferService()
    /// Called on the slave after replicated bytes were written (wakes reput; `true` when a file was taken).
    let didReplicate: @Sendable (Bool) -> Void
    private let connections = Mutex<[HAConnectionRef]>([])
    /// Slaves that reported at least once (Java `connectionCount`).
    let slaveCount = Atomic<Int>(0)
    /// Peers dropped because their reports were not offsets of this log (foreign clients, forked slaves).
    let refusedPeers = Atomic<Int>(0)
    private let serverChannel = Mutex<(any Channel)?>(nil)
    private let timer = Mutex<RepeatedTask?>(nil)
    let client: HAClient

    init(
        config: MessageStoreConfig, commitLog: CommitLog, group: any EventLoopGroup, logger: Logger,
        didReplicate: @escaping @Sendable (Bool) -> Void
    ) {
        self.config = config
        self.commitLog = commitLog
        self.group = group
        self.logger = logger
        self.didReplicate = didReplicate
        self.client = HAClient(config: config, commitLog: commitLog, group: group, logger: logger, didReplicate: didReplicate)
    }

    // MARK: - Lifecycle

    /// Master: listens on `port` (0 = ephemeral) and returns the bound port. Slave: starts following
    /// ``MessageStoreConfig/haMasterAddress`` (or the address given later) and returns nil.
    func start(host: String, port: Int) async throws -> Int? {
        if self.config.brokerRole == .slave {
            self.client.start()
            if !self.config.haMasterAddress.isEmpty { self.client.updateMasterAddress(self.config.haMasterAddress) }
            return nil
        }
        let service = self
        let channel = try await ServerBootstrap(group: self.group)
            .serverChannelOption(.backlog, value: 128)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 256 * 1024, high: 1024 * 1024))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(HAConnectionHandler(service: service))
                }
            }
            .bind(host: host, port: port).get()
        self.serverChannel.withLock { $0 = channel }
        let loop = channel.eventLoop
        let task = loop.scheduleRepeatedTask(initialDelay: .milliseconds(20), delay: .milliseconds(20)) { _ in
            service.transfer.expire(now: Clock.nanos())
        }
        self.timer.withLock { $0 = task }
        let bound = channel.localAddress?.port ?? port
        self.logger.info("HA service listening", metadata: ["haListenPort": "\(bound)"])
        return bound
    }

    func shutdown() {
        self.timer.withLock { $0?.cancel(); $0 = nil }
        self.serverChannel.withLock { $0?.close(promise: nil); $0 = nil }
        for connection in self.connections.withLock({ $0 }) {
            connection.eventLoop.execute { connection.handler.value.close(reason: nil) }
        }
        self.client.shutdown()
        self.transfer.shutdown()
    }

    // MARK: - Master side

    /// Whether a SYNC_MASTER may wait for a slave: one is connected and not too far behind (Java `isSlaveOK`).
    func isSlaveOK(masterPutWhere: Int64) -> Bool {
        self.slaveCount.load(ordering: .acquiring) > 0
            && masterPutWhere - self.transfer.ackedOffset.load(ordering: .acquiring) < self.config.haSlaveFallbehindMax
    }

    /// SYNC_MASTER: waits until a slave holds everything before `nextOffset`.
    func waitForReplica(nextOffset: Int64) async -> PutMessageStatus {
        guard self.isSlaveOK(masterPutWhere: nextOffset) else { return .slaveNotAvailable }
        return await self.transfer.waitForSlave(nextOffset: nextOffset, timeoutMillis: self.config.syncFlushTimeout)
    }

    /// Appenders call this after each append: connections waiting for data get one wake-up each.
    @inline(__always)
    func notifyNewData() {
        guard self.slaveCount.load(ordering: .relaxed) > 0 else { return }
        for connection in self.connections.withLock({ $0 }) { connection.wake() }
    }

    func register(_ connection: HAConnectionRef) {
        self.connections.withLock { $0.append(connection) }
        self.slaveCount.add(1, ordering: .releasing)
    }

    func unregister(_ connection: HAConnectionRef) {
        let removed = self.connections.withLock { list -> Bool in
            guard let index = list.firstIndex(where: { $0 === connection }) else { return false }
            list.remove(at: index)
            return true
        }
        if removed { self.slaveCount.subtract(1, ordering: .releasing) }
    }

    /// Connected slaves as the master sees them.
    var slaves: [HASlaveStatus] {
        let end = self.commitLog.maxOffset
        return self.connections.withLock { $0 }.map { c in
            let acked = c.ackedOffset.load(ordering: .acquiring)
            let behind = max(0, end - acked)
            return HASlaveStatus(
                address: c.remoteAddress, ackedOffset: acked, behindBytes: behind,
                inSync: behind < self.config.haSlaveFallbehindMax,
                transferredBytesPerSecond: c.bytesPerSecond.load(ordering: .relaxed),
                transferFromWhere: c.nextTransfer.load(ordering: .relaxed))
        }
    }

    var runtimeStatus: HARuntimeStatus {
        let isMaster = self.config.brokerRole != .slave
        return HARuntimeStatus(
            isMaster: isMaster, masterCommitLogMaxOffset: isMaster ? self.commitLog.maxOffset : 0,
            slaves: isMaster ? self.slaves : [], masterAddress: self.client.masterAddress ?? "",
            connected: self.client.isConnected, maxOffset: self.commitLog.maxOffset,
            transferredBytesPerSecond: self.client.bytesPerSecond.load(ordering: .relaxed),
            lastReadMillis: self.client.lastReadMillis.load(ordering: .relaxed),
            lastWriteMillis: self.client.lastWriteMillis.load(ordering: .relaxed))
    }

    /// Highest offset any slave acknowledged.
    var push2SlaveMaxOffset: Int64 { self.transfer.ackedOffset.load(ordering: .acquiring) }
}

/// One slave as its master sees it (`mqadmin haStatus`).
public struct HASlaveStatus: Sendable, Equatable {
    public var address: String
    public var ackedOffset: Int64
    public var behindBytes: Int64
    /// Within ``MessageStoreConfig/haSlaveFallbehindMax`` of the master.
    public var inSync: Bool = true
    public var transferredBytesPerSecond: Int64 = 0
    /// Next offset the master sends this slave (upstream `transferFromWhere`).
    public var transferFromWhere: Int64 = 0
}

/// The replication state of a store (5.x `HARuntimeInfo`, GET_BROKER_HA_STATUS).
public struct HARuntimeStatus: Sendable, Equatable {
    public var isMaster: Bool
    public var masterCommitLogMaxOffset: Int64
    public var slaves: [HASlaveStatus]
    public var inSyncSlaveCount: Int { self.slaves.filter(\.inSync).count }
    /// Slave side: the master it follows and its link.
    public var masterAddress: String
    public var connected: Bool
    public var maxOffset: Int64
    public var transferredBytesPerSecond: Int64
    public var lastReadMillis: Int64
    public var lastWriteMillis: Int64
}

/// A master-side connection as the service and appenders reach it from any thread.
final class HAConnectionRef: Sendable {
    let eventLoop: any EventLoop
    let handler: NIOLoopBound<HAConnectionHandler>
    let remoteAddress: String
    let ackedOffset = Atomic<Int64>(-1)
    let nextTransfer = Atomic<Int64>(-1)
    let bytesPerSecond = Atomic<Int64>(0)
    private let wakePending = Atomic<Bool>(false)

    init(handler: HAConnectionHandler, eventLoop: any EventLoop, remoteAddress: String) {
        self.eventLoop = eventLoop
        self.handler = NIOLoopBound(handler, eventLoop: eventLoop)
        self.remoteAddress = remoteAddress
    }

    /// Schedules one transfer attempt on the connection's loop unless one is already pending.
    func wake() {
        guard self.wakePending.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
            .exchanged
        else { return }
        self.eventLoop.execute {
            self.wakePending.store(false, ordering: .releasing)
            self.handler.value.transferIfPossible()
        }
    }
}
