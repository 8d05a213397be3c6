//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// ASYNC_FLUSH: msyncs the commit log periodically on its own thread (Java `FlushRealTimeService`).
///
/// Every ``MessageStoreConfig/flushIntervalCommitLog`` ms it flushes if at least
/// ``MessageStoreConfig/flushCommitLogLeastPages`` pages are dirty, and everything once per
/// ``MessageStoreConfig/flushCommitLogThoroughInterval``; on shutdown, everything.
final class FlushCommitLogService: Sendable {
    let thread = ServiceThread(name: "FlushRealTimeService")
    let commitLog: CommitLog
    let checkpoint: StoreCheckpoint

    init(commitLog: CommitLog, checkpoint: StoreCheckpoint) {
        self.commitLog = commitLog
        self.checkpoint = checkpoint
    }

    func start() {
        let config = self.commitLog.config
        self.thread.start { [self] in
            var lastThorough = Clock.millis()
            while !self.thread.isStopped {
                self.thread.waitForRunning(milliseconds: config.flushIntervalCommitLog)
                var leastPages = config.flushCommitLogLeastPages
                let now = Clock.millis()
                if now >= lastThorough + Int64(config.flushCommitLogThoroughInterval) {
                    lastThorough = now
                    leastPages = 0
                }
                Self.flush(self.commitLog, checkpoint: self.checkpoint, leastPages: leastPages)
            }
            Self.flush(self.commitLog, checkpoint: self.checkpoint, leastPages: 0)
        }
    }

    /// Flushes and records the newest flushed store time for the checkpoint.
    static func flush(_ commitLog: CommitLog, checkpoint: StoreCheckpoint, leastPages: Int) {
        let timestamp = commitLog.queue.lastMappedFile?.lastStoreTimestamp.load(ordering: .relaxed) ?? 0
        if leastPages == 0 {
            commitLog.queue.flushAll()
        } else {
            while commitLog.queue.flush(leastPages: leastPages) {}
        }
        let flushed = commitLog.queue.flushedWhere.load(ordering: .acquiring)
        // Only a full flush proves every record up to `timestamp` is on disk.
        if timestamp > 0 && leastPages == 0 {
            checkpoint.physicMsgTimestamp.store(timestamp, ordering: .releasing)
        }
        _ = flushed
    }

    func shutdown() { self.thread.shutdown() }
}
