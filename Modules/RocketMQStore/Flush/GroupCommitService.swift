//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import RocketMQCommon
import Synchronization

/// SYNC_FLUSH group commit (Java `GroupCommitService`).
///
/// Appenders `await` ``submit(nextOffset:)``; the service thread takes all pending requests, does one
/// flush covering everything written so far, and resumes each request whose offset is on disk.
/// A request still uncovered after ``MessageStoreConfig/syncFlushTimeout`` ms gets
/// `.flushDiskTimeout`. Continuations are resumed from the service thread, so no cooperative-pool
/// thread ever blocks on the disk.
final class GroupCommitService: Sendable {
    struct Request: Sendable {
        let nextOffset: Int64
        let deadline: UInt64
        let continuation: CheckedContinuation<PutMessageStatus, Never>
    }

    private struct Pending: Sendable {
        var requests: [Request] = []
        var accepting = true
    }

    let thread = ServiceThread(name: "GroupCommitService")
    let commitLog: CommitLog
    let checkpoint: StoreCheckpoint
    private let pending = Mutex(Pending())

    init(commitLog: CommitLog, checkpoint: StoreCheckpoint) {
        self.commitLog = commitLog
        self.checkpoint = checkpoint
    }

    /// Waits until the commit log is flushed up to `nextOffset` (or the timeout).
    func submit(nextOffset: Int64) async -> PutMessageStatus {
        if self.commitLog.queue.flushedWhere.load(ordering: .acquiring) >= nextOffset { return .putOK }
        let timeout = UInt64(self.commitLog.config.syncFlushTimeout) * 1_000_000
        return await withCheckedContinuation { continuation in
            let accepted = self.pending.withLock { p -> Bool in
                guard p.accepting else { return false }
                p.requests.append(
                    Request(nextOffset: nextOffset, deadline: Clock.nanos() + timeout, continuation: continuation))
                return true
            }
            if accepted {
                self.thread.wakeup()
            } else {
                continuation.resume(returning: .serviceNotAvailable)
            }
        }
    }

    func start() {
        self.thread.start { [self] in
            var waiting: [Request] = []
            while !self.thread.isStopped {
                if waiting.isEmpty { self.thread.waitForRunning(milliseconds: 10) }
                self.coalesce()
                waiting.append(contentsOf: self.pending.withLock { p -> [Request] in
                    let taken = p.requests
                    p.requests.removeAll(keepingCapacity: true)
                    return taken
                })
                waiting = self.commit(waiting, final: false)
                if !waiting.isEmpty { self.thread.waitForRunning(milliseconds: 1) }
            }
            let rest = self.pending.withLock { p -> [Request] in
                p.accepting = false
                return p.requests
            }
            _ = self.commit(waiting + rest, final: true)
        }
    }

    /// Lets a group form before flushing: waits while requests keep arriving (up to 2 ms).
    ///
    /// Appenders resumed by the previous flush come back one by one; flushing on the first arrival
    /// would split them into a tiny group and a large one, halving throughput when one flush costs
    /// milliseconds.
    private func coalesce() {
        var count = self.pending.withLock { $0.requests.count }
        guard count > 0 else { return }
        for _ in 0..<10 {
            usleep(200)
            let now = self.pending.withLock { $0.requests.count }
            if now == count { return }
            count = now
        }
    }

    /// Flushes once and resumes the covered requests; returns those still waiting.
    private func commit(_ requests: [Request], final: Bool) -> [Request] {
        // Flush even without requests: puts that did not ask to wait must reach the disk too.
        FlushCommitLogService.flush(self.commitLog, checkpoint: self.checkpoint, leastPages: 0)
        guard !requests.isEmpty else { return requests }
        let flushed = self.commitLog.queue.flushedWhere.load(ordering: .acquiring)
        let now = Clock.nanos()
        var remaining: [Request] = []
        for request in requests {
            if request.nextOffset <= flushed {
                request.continuation.resume(returning: .putOK)
            } else if final || now >= request.deadline {
                request.continuation.resume(returning: .flushDiskTimeout)
            } else {
                remaining.append(request)
            }
        }
        return remaining
    }

    func shutdown() { self.thread.shutdown() }
}
