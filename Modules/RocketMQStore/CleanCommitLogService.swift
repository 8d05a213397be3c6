//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import Logging
import RocketMQCommon
import Synchronization

/// Retention and disk-full protection (Java `CleanCommitLogService` + `CleanConsumeQueueService`).
///
/// Deletes commit-log files older than ``MessageStoreConfig/fileReservedTime`` hours at the
/// ``MessageStoreConfig/deleteWhen`` hour, or whenever disk use exceeds
/// ``MessageStoreConfig/diskMaxUsedSpaceRatio``; then consume-queue and index files that only point
/// at deleted data. Above ``MessageStoreConfig/diskSpaceWarningLevelRatio`` it marks the disk full so
/// puts get `SERVICE_NOT_AVAILABLE`, and clears the mark when space returns.
final class CleanCommitLogService: Sendable {
    let thread = ServiceThread(name: "CleanCommitLogService")
    let config: MessageStoreConfig
    let logger: Logger
    let diskFull = Atomic<Bool>(false)
    private let manualDeleteRequests = Atomic<Int>(0)

    init(config: MessageStoreConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    func start(_ round: @escaping @Sendable () -> Void) {
        self.thread.start { [self] in
            while !self.thread.isStopped {
                self.thread.waitForRunning(milliseconds: self.config.cleanResourceInterval)
                if self.thread.isStopped { break }
                round()
            }
        }
    }

    /// Asks the next round to delete expired files regardless of the hour (Java `executeDeleteFilesManually`).
    func requestManualDelete() {
        self.manualDeleteRequests.store(20, ordering: .releasing)
    }

    /// Whether the current local hour is listed in ``MessageStoreConfig/deleteWhen``.
    func isTimeToDelete(now: Int64) -> Bool {
        var seconds = time_t(now / 1000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return self.config.deleteWhen.split(separator: ";").contains { Int($0) == Int(parts.tm_hour) }
    }

    /// Runs one retention round; returns the number of commit-log files deleted.
    func cleanCommitLog(_ commitLog: CommitLog, now: Int64) -> Int {
        let ratio = self.config.diskUsageRatio(self.config.storePathCommitLog)
        if ratio > self.config.diskSpaceWarningLevelRatio {
            if !self.diskFull.exchange(true, ordering: .acquiringAndReleasing) {
                self.logger.error("disk almost full; refusing writes", metadata: ["ratio": "\(ratio)"])
            }
        } else if self.diskFull.exchange(false, ordering: .acquiringAndReleasing) {
            self.logger.info("disk space is back; accepting writes", metadata: ["ratio": "\(ratio)"])
        }
        let spaceFull = ratio > Double(self.config.diskMaxUsedSpaceRatio) / 100
        let manual = self.manualDeleteRequests.load(ordering: .acquiring) > 0
        guard self.isTimeToDelete(now: now) || spaceFull || manual else { return 0 }
        if manual { self.manualDeleteRequests.subtract(1, ordering: .acquiringAndReleasing) }
        let cleanImmediately = self.config.cleanFileForciblyEnable && ratio > self.config.diskSpaceCleanForciblyRatio
        let deleted = commitLog.queue.deleteExpiredFilesByTime(
            expiredMillis: Int64(self.config.fileReservedTime) * 3_600_000, now: now, cleanImmediately: cleanImmediately)
        if deleted > 0 {
            self.logger.info("deleted expired commit-log files", metadata: ["count": "\(deleted)"])
        }
        return deleted
    }

    func shutdown() { self.thread.shutdown() }
}
