//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import RocketMQCommon
import Synchronization

/// Turns committed commit-log records into consume-queue units and index entries (Java `ReputMessageService`).
///
/// Appenders dispatch what they appended themselves (``appended()``): whoever appended while another
/// thread was dispatching leaves its records to that one, which looks again before it stops. A new
/// message so reaches its consume queue (and long polls are woken through the
/// ``MessageArrivingListener``) within microseconds, with no thread woken per message: waking the
/// service thread on every append cost a futex call and two context switches per message, a quarter
/// of the broker's CPU at 8k msg/s. The thread remains for what no appender does: replicated data
/// on a slave (``wakeup()``), retrying a record that could not be dispatched, and a 1 ms safety poll.
final class ReputMessageService: Sendable {
    let thread = ServiceThread(name: "ReputMessageService")
    let commitLog: CommitLog
    let logger: Logger
    /// Next commit-log offset to dispatch.
    let reputFromOffset = Atomic<Int64>(0)
    /// True while the thread is (about to be) blocked waiting for appends.
    private let sleeping = Atomic<Bool>(false)
    /// Held by whoever runs `doReput` (an appender or the thread): records are dispatched in order,
    /// by one thread at a time.
    private let dispatching = Atomic<Bool>(false)
    private let handlers = Mutex<Handlers?>(nil)

    /// What dispatching calls, fixed at ``start(from:listener:dispatch:)``.
    private struct Handlers: Sendable {
        let delayLevels: [Int64]
        let listener: (any MessageArrivingListener)?
        let dispatch: @Sendable (DispatchRequest) -> Bool
    }

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

    /// Called after every append: dispatches on the caller's thread unless another is dispatching.
    ///
    /// The appended end was published before this call; the sequentially consistent fences pair with
    /// the owner's release and re-check, so a record left to the owner is never missed.
    func appended() {
        guard let handlers = self.handlers.withLock({ $0 }) else { return self.wakeup() }
        while !self.isBlocked {
            atomicMemoryFence(ordering: .sequentiallyConsistent)
            guard self.dispatching.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
            else { return }
            _ = self.doReput(delayLevels: handlers.delayLevels, listener: handlers.listener, dispatch: handlers.dispatch)
            self.dispatching.store(false, ordering: .releasing)
            atomicMemoryFence(ordering: .sequentiallyConsistent)
            if !self.hasWork { return }
        }
    }

    /// Runs `doReput` if no appender is; false when one is (it dispatches what is there).
    private func reputIfIdle(_ handlers: Handlers) -> Bool {
        guard self.dispatching.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return false }
        defer { self.dispatching.store(false, ordering: .releasing) }
        return self.doReput(delayLevels: handlers.delayLevels, listener: handlers.listener, dispatch: handlers.dispatch)
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
        let handlers = Handlers(delayLevels: self.commitLog.config.delayLevelMillis, listener: listener, dispatch: dispatch)
        self.handlers.withLock { $0 = handlers }
        self.thread.start { [self] in
            while !self.thread.isStopped {
                if self.reputIfIdle(handlers) { continue }
                if self.isBlocked {
                    self.thread.waitForRunning(milliseconds: Self.blockedRetryMillis)
                    continue
                }
                self.sleeping.store(true, ordering: .sequentiallyConsistent)
                atomicMemoryFence(ordering: .sequentiallyConsistent)
                // Nothing to do, or an appender is dispatching it (and looks again before it stops).
                if !self.hasWork || self.dispatching.load(ordering: .sequentiallyConsistent) {
                    self.thread.waitForRunning(milliseconds: 1)
                }
                self.sleeping.store(false, ordering: .releasing)
            }
            // Drain what was appended before shutdown so the consume queues are complete.
            while !self.isBlocked {
                if self.reputIfIdle(handlers) { continue }
                if !self.hasWork { break }
                self.thread.waitForRunning(milliseconds: 1)  // an appender is dispatching
            }
        }
    }

    private var hasWork: Bool {
        self.commitLog.maxPhysicalOffset.load(ordering: .sequentiallyConsistent)
            > self.reputFromOffset.load(ordering: .relaxed)
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

    /// Stops the thread after its last drain, then takes the dispatch flag for good (waiting out an
    /// appender that holds it), so no late append dispatches into files about to close.
    func shutdown() {
        self.thread.shutdown()
        while !self.dispatching.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            sched_yield()
        }
    }
}
