//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import Logging
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
    private let dispatchers = Mutex<[any CommitLogDispatcher]>([])
    private let listener = Mutex<(any MessageArrivingListener)?>(nil)
    /// 0 = not started, 1 = running, 2 = shut down.
    private let lifecycle = Atomic<Int>(0)
    let lastExitOK = Atomic<Bool>(true)
    let putMessageTimesTotal = Atomic<Int64>(0)
    let putMessageSizeTotal = Atomic<Int64>(0)

    public init(config: MessageStoreConfig, logger: Logger) {
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

    /// Flushes everything, records the clean end in the checkpoint and removes the `abort` file.
    public func shutdown() {
        guard self.lifecycle.exchange(2, ordering: .acquiringAndReleasing) == 1 else { return }
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
        self.logger.info("message store shut down", metadata: ["maxPhyOffset": "\(end)"])
    }

    var isRunning: Bool { self.lifecycle.load(ordering: .acquiring) == 1 }

    // MARK: - Put

    /// Appends one message; under SYNC_FLUSH waits for the group commit unless the message has `WAIT=false`.
    public func putMessage(_ message: MessageExtBrokerInner) async -> PutMessageResult {
        let result = self.putMessageWithoutFlushWait(message)
        guard result.isOK, self.config.flushDiskType == .syncFlush, let append = result.appendResult,
            MessageProperties.value(of: MessageConst.waitStoreMsgOK, inUTF8: message.propertiesString.utf8) != "false"
        else { return result }
        let status = await self.groupCommit.submit(nextOffset: append.wroteOffset + Int64(append.wroteBytes))
        return status == .putOK ? result : PutMessageResult(status: status, appendResult: append)
    }

    /// Appends a batch with consecutive queue offsets; under SYNC_FLUSH waits for the group commit.
    public func putMessages(_ batch: MessageExtBatch) async -> PutMessageResult {
        let result = self.putMessagesWithoutFlushWait(batch)
        guard result.isOK, self.config.flushDiskType == .syncFlush, let append = result.appendResult else {
            return result
        }
        let status = await self.groupCommit.submit(nextOffset: append.wroteOffset + Int64(append.wroteBytes))
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
            return PutMessageResult(status: .serviceNotAvailable, remark: "message store is a slave")
        }
        if self.clean.diskFull.load(ordering: .acquiring) {
            return PutMessageResult(status: .serviceNotAvailable, remark: "service not available now, maybe disk full")
        }
        return nil
    }

    private func finish(_ outcome: CommitLog.AppendOutcome) -> PutMessageResult {
        switch outcome {
        case .appended(let result, let switched):
            self.reput.wakeup()
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
    func doDispatch(_ request: DispatchRequest, dispatchers: [any CommitLogDispatcher]) {
        let tranType = MessageSysFlag.transactionValue(request.sysFlag)
        if tranType == MessageSysFlag.transactionNotType || tranType == MessageSysFlag.transactionCommitType {
            let queue = self.findConsumeQueue(topic: request.topic, queueID: request.queueID)
            _ = queue.putMessagePositionInfo(
                offset: request.commitLogOffset, size: request.msgSize, tagsCode: request.tagsCode,
                consumeQueueOffset: request.consumeQueueOffset)
            self.checkpoint.logicsMsgTimestamp.store(request.storeTimestamp, ordering: .releasing)
        }
        if self.config.messageIndexEnable { self.indexService.buildIndex(request) }
        for dispatcher in dispatchers { dispatcher.dispatch(request) }
    }

    /// Bytes committed but not yet dispatched.
    public var dispatchBehindBytes: Int64 { self.reput.behindBytes }

    // MARK: - Consume queues

    func findConsumeQueue(topic: String, queueID: Int32) -> ConsumeQueue {
        self.consumeQueues.findOrCreate(topic: topic, queueID: queueID)
    }
}
