//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOPosix
import RocketMQCommon
import Synchronization

/// The message store (Java `DefaultMessageStore`): commit log, consume queues, index, flush,
/// dispatch, recovery and retention.
///
/// Lifecycle: `init` → optional ``addDispatcher(_:)`` / ``setMessageArrivingListener(_:)`` →
/// ``load()`` (recovery) → ``start()`` → ``shutdown()``. Puts are synchronous critical sections
/// (see ``CommitLog``); only SYNC_FLUSH puts suspend, awaiting the group commit. Background work
/// (reput, flush, allocation, retention) runs on dedicated threads.
public final class DefaultMessageStore: Sendable {
    public let config: MessageStoreConfig
    let logger: Logger
    let commitLog: CommitLog
    let indexService: IndexService
    let checkpoint: StoreCheckpoint
    let reput: ReputMessageService
    let flushService: FlushCommitLogService
    let groupCommit: GroupCommitService
    let flushConsumeQueueService: FlushConsumeQueueService
    let clean: CleanCommitLogService
    let consumeQueues: ConsumeQueueTable
    /// Master/slave replication: the HA port on masters, the link to the master on slaves.
    let ha: HAService
    private let dispatchers = Mutex<[any CommitLogDispatcher]>([])
    private let listener = Mutex<(any MessageArrivingListener)?>(nil)
    /// 0 = not started, 1 = running, 2 = shut down.
    private let lifecycle = Atomic<Int>(0)
    let lastExitOK = Atomic<Bool>(true)
    let putMessageTimesTotal = Atomic<Int64>(0)
    let putMessageSizeTotal = Atomic<Int64>(0)

    /// - Parameter group: event loops for the HA links (replication sockets).
    public init(
        config: MessageStoreConfig, logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.config = config
        self.logger = logger
        self.commitLog = CommitLog(config: config, logger: logger)
        self.indexService = IndexService(config: config, logger: logger)
        self.checkpoint = StoreCheckpoint(path: config.storeCheckpointPath)
        self.reput = ReputMessageService(commitLog: self.commitLog, logger: logger)
        self.flushService = FlushCommitLogService(commitLog: self.commitLog, checkpoint: self.checkpoint)
        self.groupCommit = GroupCommitService(commitLog: self.commitLog, checkpoint: self.checkpoint)
        self.clean = CleanCommitLogService(config: config, logger: logger)
        let consumeQueues = ConsumeQueueTable(
            rootDirectory: config.storePathConsumeQueue, fileSize: config.mappedFileSizeConsumeQueue, logger: logger)
        self.consumeQueues = consumeQueues
        self.flushConsumeQueueService = FlushConsumeQueueService(
            config: config, checkpoint: self.checkpoint, indexService: self.indexService,
            consumeQueues: { consumeQueues.all })
        let reput = self.reput
        let allocator = self.commitLog.allocator
        self.ha = HAService(
            config: config, commitLog: self.commitLog, group: group, logger: logger,
            didReplicate: { switched in
                reput.wakeup()
                if switched { allocator.wakeup() }
            })
    }

    /// Registers a dispatcher run after the built-in ones for every committed record; call before ``load()``.
    public func addDispatcher(_ dispatcher: any CommitLogDispatcher) {
        self.dispatchers.withLock { $0.append(dispatcher) }
    }

    var registeredDispatchers: [any CommitLogDispatcher] { self.dispatchers.withLock { $0 } }

    /// Sets the listener told about every message reaching a consume queue; call before ``start()``.
    public func setMessageArrivingListener(_ listener: (any MessageArrivingListener)?) {
        self.listener.withLock { $0 = listener }
    }

    // MARK: - Lifecycle

    /// Maps the store files and recovers them (crash recovery when the `abort` file is present).
    ///
    /// - Returns: false when a store file cannot be used (wrong size); the store must not start.
    public func load() throws -> Bool {
        try MappedFileQueue.makeDirectory(self.config.storePathRootDir)
        let exitOK = access(self.config.abortFilePath, F_OK) != 0
        self.lastExitOK.store(exitOK, ordering: .releasing)
        do {
            try self.commitLog.queue.load()
            try self.consumeQueues.load()
            if self.config.messageIndexEnable { try self.indexService.load() }
            try self.checkpoint.load()
        } catch StoreError.corruptFile(let path, let reason) {
            self.logger.error("store file cannot be loaded", metadata: ["path": "\(path)", "reason": "\(reason)"])
            return false
        }
        self.recover(lastExitOK: exitOK)
        self.logger.info(
            "message store loaded",
            metadata: ["lastExitOK": "\(exitOK)", "maxPhyOffset": "\(self.commitLog.maxOffset)"])
        return true
    }

    /// Starts the background services and accepts puts.
    public func start() throws {
        guard self.lifecycle.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing).exchanged
        else { return }
        let fd = open(self.config.abortFilePath, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.io(operation: "create", path: self.config.abortFilePath, errno: errno) }
        close(fd)
        // A power loss must not lose the marker: without it the next start takes the crash for a clean exit.
        StoreFileEvents.syncDirectory(of: self.config.abortFilePath)
        StoreFileEvents.emit(.created(path: self.config.abortFilePath, size: 0))
        self.commitLog.startAllocator()
        let dispatchers = self.dispatchers.withLock { $0 }
        let listener = self.brokerRoleAllowsNotify ? self.listener.withLock { $0 } : nil
        self.reput.start(from: self.commitLog.maxOffset, listener: listener) { [self] request in
            self.doDispatch(request, dispatchers: dispatchers)
        }
        if self.config.flushDiskType == .syncFlush {
            self.groupCommit.start()
        } else {
            self.flushService.start()
        }
        self.flushConsumeQueueService.start()
        self.clean.start { [self] in self.cleanFilesOnce(now: Clock.millis()) }
    }

    private var brokerRoleAllowsNotify: Bool { self.config.brokerRole != .slave }

    /// Starts replication once the store runs: a master listens on `port` (0 = ephemeral) and gets the
    /// bound port back; a slave starts following its master and gets nil.
    public func startHA(host: String = "0.0.0.0", port: Int) async throws -> Int? {
        try await self.ha.start(host: host, port: port)
    }

    /// The master HA address a slave follows (`host:port`), e.g. learned from the name server.
    public func updateHaMasterAddress(_ address: String) {
        self.ha.client.updateMasterAddress(address)
    }

    /// Flushes everything, records the clean end in the checkpoint and removes the `abort` file.
    public func shutdown() {
        guard self.lifecycle.exchange(2, ordering: .acquiringAndReleasing) == 1 else { return }
        self.ha.shutdown()
        self.clean.shutdown()
        if self.config.flushDiskType == .syncFlush {
            self.groupCommit.shutdown()
        } else {
            self.flushService.shutdown()
        }
        self.reput.shutdown()
        self.flushConsumeQueueService.shutdown()
        self.commitLog.allocator.shutdown()
        self.commitLog.queue.flushAll()
        let end = self.commitLog.maxOffset
        if let last = self.commitLog.queue.lastMappedFile {
            let timestamp = last.lastStoreTimestamp.load(ordering: .acquiring)
            if timestamp > 0 { self.checkpoint.physicMsgTimestamp.store(timestamp, ordering: .releasing) }
        }
        self.checkpoint.confirmPhyOffset.store(end, ordering: .releasing)
        self.flushConsumeQueueService.flush(leastPages: 0)
        unlink(self.config.abortFilePath)
        StoreFileEvents.emit(.removed(path: self.config.abortFilePath))
        self.logger.info("message store shut down", metadata: ["maxPhyOffset": "\(end)"])
    }

    var isRunning: Bool { self.lifecycle.load(ordering: .acquiring) == 1 }

    // MARK: - Put

    /// Appends one message; under SYNC_FLUSH waits for the group commit and as SYNC_MASTER for a slave,
    /// unless the message has `WAIT=false`.
    public func putMessage(_ message: MessageExtBrokerInner) async -> PutMessageResult {
        let result = self.putMessageWithoutFlushWait(message)
        guard result.isOK, self.waitsForDurability, let append = result.appendResult,
            MessageProperties.value(of: MessageConst.waitStoreMsgOK, inUTF8: message.propertiesString.utf8) != "false"
        else { return result }
        return await self.waitDurable(result, append)
    }

    /// Appends a batch with consecutive queue offsets; waits as ``putMessage(_:)`` does.
    public func putMessages(_ batch: MessageExtBatch) async -> PutMessageResult {
        let result = self.putMessagesWithoutFlushWait(batch)
        guard result.isOK, self.waitsForDurability, let append = result.appendResult else { return result }
        return await self.waitDurable(result, append)
    }

    private var waitsForDurability: Bool {
        self.config.flushDiskType == .syncFlush || self.config.brokerRole == .syncMaster
    }

    /// SYNC_FLUSH and SYNC_MASTER waits (Java `CommitLog.handleDiskFlushAndHA`): both run at once; a
    /// flush failure gives FLUSH_DISK_TIMEOUT, a replication failure its own status, which wins.
    private func waitDurable(_ result: PutMessageResult, _ append: AppendMessageResult) async -> PutMessageResult {
        let nextOffset = append.wroteOffset + Int64(append.wroteBytes)
        let status: PutMessageStatus
        switch (self.config.flushDiskType, self.config.brokerRole) {
        case (.syncFlush, .syncMaster):
            async let flushed = self.groupCommit.submit(nextOffset: nextOffset)
            let replicated = await self.ha.waitForReplica(nextOffset: nextOffset)
            let flush = await flushed
            status = replicated != .putOK ? replicated : (flush == .putOK ? .putOK : .flushDiskTimeout)
        case (.syncFlush, _):
            status = await self.groupCommit.submit(nextOffset: nextOffset)
        case (_, .syncMaster):
            status = await self.ha.waitForReplica(nextOffset: nextOffset)
        default:
            status = .putOK
        }
        return status == .putOK ? result : PutMessageResult(status: status, appendResult: append)
    }

    /// Appends without waiting for the disk, whatever the flush mode.
    public func putMessageWithoutFlushWait(_ message: MessageExtBrokerInner) -> PutMessageResult {
        if let refusal = self.checkWritable() { return refusal }
        return self.finish(self.commitLog.putMessage(message))
    }

    public func putMessagesWithoutFlushWait(_ batch: MessageExtBatch) -> PutMessageResult {
        if let refusal = self.checkWritable() { return refusal }
        return self.finish(self.commitLog.putMessages(batch))
    }

    private func checkWritable() -> PutMessageResult? {
        guard self.isRunning else {
            return PutMessageResult(status: .serviceNotAvailable, remark: "message store is not running")
        }
        if self.config.brokerRole == .slave {
            // Upstream's refusal (SERVICE_NOT_AVAILABLE with its generic remark); producers send to masters only.
            return PutMessageResult(status: .serviceNotAvailable)
        }
        if self.clean.diskFull.load(ordering: .acquiring) || self.reput.isBlocked {
            // Disk full, or a consume-queue file could not be created (upstream's logic-queue error).
            // No remark: the broker answers with upstream's, which names the disk use.
            return PutMessageResult(status: .serviceNotAvailable)
        }
        return nil
    }

    private func finish(_ outcome: CommitLog.AppendOutcome) -> PutMessageResult {
        switch outcome {
        case .appended(let result, let switched):
            self.reput.appended()
            self.ha.notifyNewData()
            if switched { self.commitLog.allocator.wakeup() }
            self.putMessageTimesTotal.add(Int64(result.msgNum), ordering: .relaxed)
            self.putMessageSizeTotal.add(Int64(result.wroteBytes), ordering: .relaxed)
            return PutMessageResult(status: .putOK, appendResult: result)
        case .failed(let status, let remark):
            return PutMessageResult(status: status, remark: remark)
        }
    }

    // MARK: - Dispatch

    /// Runs the built-in dispatchers (consume queue, index) and the registered ones for one record.
    ///
    /// Returns false, having run nothing else, when the consume-queue unit could not be written (its
    /// file could not be created: a full disk); the caller retries the same record later, so no
    /// unit is ever skipped.
    @discardableResult
    func doDispatch(_ request: DispatchRequest, dispatchers: [any CommitLogDispatcher]) -> Bool {
        let tranType = MessageSysFlag.transactionValue(request.sysFlag)
        if tranType == MessageSysFlag.transactionNotType || tranType == MessageSysFlag.transactionCommitType {
            let queue = self.findConsumeQueue(topic: request.topic, queueID: request.queueID)
            guard queue.putMessagePositionInfo(
                offset: request.commitLogOffset, size: request.msgSize, tagsCode: request.tagsCode,
                consumeQueueOffset: request.consumeQueueOffset)
            else { return false }
            self.checkpoint.logicsMsgTimestamp.store(request.storeTimestamp, ordering: .releasing)
        }
        if self.config.messageIndexEnable { self.indexService.buildIndex(request) }
        for dispatcher in dispatchers { dispatcher.dispatch(request) }
        return true
    }

    /// Bytes committed but not yet dispatched.
    public var dispatchBehindBytes: Int64 { self.reput.behindBytes }

    // MARK: - Consume queues

    func findConsumeQueue(topic: String, queueID: Int32) -> ConsumeQueue {
        self.consumeQueues.findOrCreate(topic: topic, queueID: queueID)
    }
}
