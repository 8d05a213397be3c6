//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif

/// How appenders wait for the disk (Java `FlushDiskType`).
public enum FlushDiskType: String, Sendable {
    /// Acknowledge after the copy into the mapped file; a background thread flushes periodically.
    case asyncFlush = "ASYNC_FLUSH"
    /// Acknowledge only after a group commit has flushed the record.
    case syncFlush = "SYNC_FLUSH"
}

/// Replication role of the broker owning the store (Java `BrokerRole`).
public enum BrokerRole: String, Sendable {
    case asyncMaster = "ASYNC_MASTER"
    case syncMaster = "SYNC_MASTER"
    case slave = "SLAVE"
}

/// Store settings, named as upstream's `MessageStoreConfig` keys so broker.conf files carry over.
public struct MessageStoreConfig: Sendable {
    /// Root of all store files (`~/store` by default).
    public var storePathRootDir: String
    private var commitLogPathOverride: String?
    /// Commit-log directory; defaults to `<root>/commitlog` and follows root changes until set.
    public var storePathCommitLog: String {
        get { self.commitLogPathOverride ?? self.storePathRootDir + "/commitlog" }
        set { self.commitLogPathOverride = newValue }
    }
    public var storePathConsumeQueue: String { self.storePathRootDir + "/consumequeue" }
    public var storePathIndex: String { self.storePathRootDir + "/index" }
    public var storeCheckpointPath: String { self.storePathRootDir + "/checkpoint" }
    public var abortFilePath: String { self.storePathRootDir + "/abort" }

    /// Commit-log segment size (1 GiB upstream).
    public var mappedFileSizeCommitLog: Int = 1024 * 1024 * 1024
    /// Consume-queue segment size: 300,000 units of 20 bytes.
    public var mappedFileSizeConsumeQueue: Int = 300_000 * ConsumeQueue.unitSize
    public var flushDiskType: FlushDiskType = .asyncFlush
    public var brokerRole: BrokerRole = .asyncMaster
    /// Period of the async commit-log flush, in ms.
    public var flushIntervalCommitLog: Int = 500
    /// Dirty 4 KiB pages needed before an async flush bothers to msync.
    public var flushCommitLogLeastPages: Int = 4
    /// After this many ms an async flush happens regardless of dirty pages.
    public var flushCommitLogThoroughInterval: Int = 10_000
    /// How long a SYNC_FLUSH appender waits for its group commit, in ms.
    public var syncFlushTimeout: Int = 5000
    public var flushIntervalConsumeQueue: Int = 1000
    public var flushConsumeQueueLeastPages: Int = 2
    public var flushConsumeQueueThoroughInterval: Int = 60_000
    /// Hours a commit-log file is kept after its last write.
    public var fileReservedTime: Int = 72
    /// Hours of day ("04" or "04;16") at which expired files are deleted.
    public var deleteWhen: String = "04"
    /// Disk usage percentage above which files are deleted regardless of the hour.
    public var diskMaxUsedSpaceRatio: Int = 75
    /// Disk usage ratio above which writes are refused (Java `diskSpaceWarningLevelRatio`).
    public var diskSpaceWarningLevelRatio: Double = 0.90
    /// Disk usage ratio above which unexpired files are deleted too (Java `diskSpaceCleanForciblyRatio`).
    public var diskSpaceCleanForciblyRatio: Double = 0.85
    public var cleanFileForciblyEnable: Bool = true
    /// Period of the clean service, in ms.
    public var cleanResourceInterval: Int = 10_000
    /// Largest message body accepted, in bytes.
    public var maxMessageSize: Int = 4 * 1024 * 1024
    public var maxTransferCountOnMessageInMemory: Int = 32
    public var maxTransferBytesOnMessageInMemory: Int = 256 * 1024
    public var maxTransferCountOnMessageInDisk: Int = 8
    public var maxTransferBytesOnMessageInDisk: Int = 64 * 1024
    /// Percentage of RAM treated as "in memory" when deciding pull batch limits and slave suggestions.
    public var accessMessageInMemoryMaxRatio: Int = 40
    public var messageIndexEnable: Bool = true
    /// Also require the index checkpoint when choosing the crash-recovery start file.
    public var messageIndexSafe: Bool = false
    public var maxHashSlotNum: Int = 5_000_000
    public var maxIndexNum: Int = 5_000_000 * 4
    /// Most offsets one index query returns (Java `maxMsgsNumBatch`).
    public var maxMsgsNumBatch: Int = 64
    /// Verify body CRCs while recovering after a crash.
    public var checkCRCOnRecover: Bool = true
    /// Whether a slave corrects a client's out-of-range offset (Java `offsetCheckInSlave`).
    public var offsetCheckInSlave: Bool = false
    /// Touch every page of a pre-allocated commit-log file so appends take no page faults.
    public var warmMapedFileEnable: Bool = false
    /// HA port masters listen on for slaves; -1 = the broker's listenPort + 1 (upstream's 10912).
    public var haListenPort: Int = -1
    /// Master HA address a slave connects to (`ip:port`); empty = learned from the name server.
    public var haMasterAddress: String = ""
    /// How often a slave reports its offset while idle, and a master sends an empty heartbeat, in ms.
    public var haSendHeartbeatInterval: Int = 5000
    /// An HA link without traffic for this long is closed, in ms.
    public var haHousekeepingInterval: Int = 20_000
    /// Largest block of commit-log bytes a master sends in one frame.
    public var haTransferBatchSize: Int = 32 * 1024
    /// A SYNC_MASTER answers SLAVE_NOT_AVAILABLE when its best slave is further behind than this, in bytes
    /// (5.x calls it `haMaxGapNotInSync`).
    public var haSlaveFallbehindMax: Int64 = 256 * 1024 * 1024
    /// Delay levels (Java `messageDelayLevel`); only used for `SCHEDULE_TOPIC_XXXX` tag codes.
    public var messageDelayLevel: String = "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h"
    /// Disk usage ratio (0...1) of the file system holding a path; injectable for tests.
    public var diskUsageRatio: @Sendable (String) -> Double = MessageStoreConfig.statvfsUsageRatio

    public init(storePathRootDir: String = MessageStoreConfig.defaultRootDir) {
        self.storePathRootDir = storePathRootDir
    }

    public static var defaultRootDir: String {
        let home = getenv("HOME").map { String(cString: $0) } ?? "/tmp"
        return home + "/store"
    }

    /// Used fraction of the file system holding `path` (0 when it cannot be determined).
    public static let statvfsUsageRatio: @Sendable (String) -> Double = { path in
        var st = statvfs()
        guard statvfs(path, &st) == 0, st.f_blocks > 0 else { return 0 }
        let total = Double(st.f_blocks)
        let free = Double(st.f_bavail)
        return (total - free) / total
    }

    /// Delay in ms of each level, parsed from ``messageDelayLevel`` (index 0 = level 1).
    public var delayLevelMillis: [Int64] {
        self.messageDelayLevel.split(separator: " ").compactMap { item -> Int64? in
            guard let unit = item.last, let value = Int64(item.dropLast()) else { return nil }
            switch unit {
            case "s": return value * 1000
            case "m": return value * 60_000
            case "h": return value * 3_600_000
            case "d": return value * 86_400_000
            default: return nil
            }
        }
    }
}
