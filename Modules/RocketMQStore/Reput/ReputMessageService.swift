//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import Synchronization

/// Turns committed commit-log records into consume-queue units and index entries (Java `ReputMessageService`).
///
/// Runs on its own thread; appenders call ``wakeup()`` after every append, so a new message is
/// dispatched (and long polls woken through the ``MessageArrivingListener``) within microseconds
/// instead of a polling interval.
final class ReputMessageService: Sendable {
    let thread = ServiceThread(name: "ReputMessageService")
    let commitLog: CommitLog
    let logger: Logger
    /// Next commit-log offset to dispatch.
    let reputFromOffset = Atomic<Int64>(0)
    /// True while the thread is (about to be) blocked waiting for appends.
    private let sleeping = Atomic<Bool>(false)
    /// How long the thread spins for new appends before sleeping: waking a sleeping thread on
    /// every append costs a futex call and, on small machines, preempts the appender.
    static let spinNanos: UInt64 = 0

    init(commitLog: CommitLog, logger: Logger) {
        self.commitLog = commitLog
        self.logger = logger
    }

    /// Called after every append; signals only when the thread actually sleeps.
    ///
    /// Pairs with the sequentially consistent store of `sleeping` and re-check of the commit-log
    /// end in the loop, so an append is never missed (and the 1 ms timeout bounds any delay).
    @inline(__always)
    func wakeup() {
        atomicMemoryFence(ordering: .sequentiallyConsistent)
        if self.sleeping.load(ordering: .sequentiallyConsistent) { self.thread.wakeup() }
    }

    /// Set while a record cannot be dispatched (no space for its consume-queue file); the store refuses
    /// puts meanwhile, and the record is retried every ``blockedRetryMillis``.
    private let blocked = Atomic<Bool>(false)
    static let blockedRetryMillis = 1000

    var isBlocked: Bool { self.blocked.load(ordering: .acquiring) }

    var behindBytes: Int64 { self.commitLog.maxOffset - self.reputFromOffset.load(ordering: .acquiring) }

    /// Starts dispatching at `offset`; `dispatch` runs the built-in and registered dispatchers.
    func start(
        from offset: Int64, listener: (any MessageArrivingListener)?,
        dispatch: @escaping @Sendable (DispatchRequest) -> Bool
    ) {
        self.reputFromOffset.store(offset, ordering: .releasing)
        self.thread.start { [self] in
            let delayLevels = self.commitLog.config.delayLevelMillis
            while !self.thread.isStopped {
                if self.doReput(delayLevels: delayLevels, listener: listener, dispatch: dispatch) { continue }
                if self.isBlocked {
                    self.thread.waitForRunning(milliseconds: Self.blockedRetryMillis)
                    continue
                }
                if self.spinForAppends() { continue }
                self.sleeping.store(true, ordering: .sequentiallyConsistent)
                atomicMemoryFence(ordering: .sequentiallyConsistent)
                if !self.hasWork { self.thread.waitForRunning(milliseconds: 1) }
                self.sleeping.store(false, ordering: .releasing)
            }
            // Drain what was appended before shutdown so the consume queues are complete.
            while self.doReput(delayLevels: delayLevels, listener: listener, dispatch: dispatch) && !self.isBlocked {}
        }
    }

    private var hasWork: Bool {
        self.commitLog.maxPhysicalOffset.load(ordering: .sequentiallyConsistent)
            > self.reputFromOffset.load(ordering: .relaxed)
    }

    /// Busy-waits up to ``spinNanos`` for a new append; true when one arrived.
    private func spinForAppends() -> Bool {
        let deadline = Clock.nanos() + Self.spinNanos
        while Clock.nanos() < deadline {
            for _ in 0..<64 where self.hasWork { return true }
        }
        return self.hasWork
    }

    /// Dispatches everything currently committed; returns whether anything was dispatched.
    private func doReput(
        delayLevels: [Int64], listener: (any MessageArrivingListener)?, dispatch: (DispatchRequest) -> Bool
    ) -> Bool {
        var progressed = false
        var from = self.reputFromOffset.load(ordering: .relaxed)
        let minOffset = self.commitLog.minOffset
        if minOffset > from {
            self.logger.warning("reput offset below commit-log minimum; skipping ahead", metadata: ["from": "\(from)"])
            from = minOffset
        }
        while from < self.commitLog.maxOffset {
            guard let file = self.commitLog.queue.findMappedFile(offset: from) else { break }
            var position = Int(from - file.fileFromOffset)
            let written = file.wrotePosition.load(ordering: .acquiring)
            let fileSize = file.fileSize
            var stop = false
            while position < written {
                let check = CommitLog.checkRecord(
                    at: file.readPointer + position, available: fileSize - position, checkCRC: false,
                    delayLevels: delayLevels)
                switch check {
                case .message(let request):
                    guard dispatch(request) else {
                        if !self.blocked.exchange(true, ordering: .acquiringAndReleasing) {
                            self.logger.error(
                                "cannot dispatch a record (no space for its consume queue?); refusing puts and retrying",
                                metadata: ["offset": "\(request.commitLogOffset)"])
                        }
                        return progressed
                    }
                    if self.blocked.exchange(false, ordering: .acquiringAndReleasing) {
                        self.logger.info("dispatching again; accepting puts", metadata: ["offset": "\(request.commitLogOffset)"])
                    }
                    position += Int(request.msgSize)
                    progressed = true
                    if let listener {
                        let tranType = MessageSysFlag.transactionValue(request.sysFlag)
                        if tranType == MessageSysFlag.transactionNotType || tranType == MessageSysFlag.transactionCommitType {
                            listener.arriving(
                                topic: request.topic, queueID: request.queueID,
                                logicOffset: request.consumeQueueOffset + 1, tagsCode: request.tagsCode,
                                storeTimestamp: request.storeTimestamp, properties: request.properties)
                        }
                    }
                case .valid(let size, _):
                    position += Int(size)
                case .blank:
                    position = fileSize
                case .end, .corrupt:
                    self.logger.error(
                        "reput found no valid record below the committed offset",
                        metadata: ["offset": "\(file.fileFromOffset + Int64(position))"])
                    stop = true
                }
                if stop { break }
                from = file.fileFromOffset + Int64(position)
                self.reputFromOffset.store(from, ordering: .releasing)
            }
            if stop { break }
            if position >= fileSize {
                from = file.fileFromOffset + Int64(fileSize)
                self.reputFromOffset.store(from, ordering: .releasing)
            } else if position >= written {
                break
            }
        }
        return progressed
    }

    func shutdown() { self.thread.shutdown() }
}
