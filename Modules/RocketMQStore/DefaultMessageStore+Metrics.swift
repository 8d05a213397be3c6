//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension DefaultMessageStore {
    /// Commit-log bytes written but not yet flushed (upstream `flushBehindBytes`,
    /// `rocketmq_storage_flush_behind_bytes`). Under SYNC_FLUSH it stays near 0.
    public var flushBehindBytes: Int64 {
        max(0, self.commitLog.maxOffset - self.commitLog.queue.flushedWhere.load(ordering: .acquiring))
    }

    /// Bytes in use on the file system holding the store root (upstream `rocketmq_storage_size`:
    /// total − free space of `storePathRootDir`); nil when it cannot be read.
    public var storageUsedBytes: Int64? {
        var stats = statvfs()
        guard statvfs(self.config.storePathRootDir, &stats) == 0, stats.f_blocks > 0 else { return nil }
        let fragment = Int64(stats.f_frsize)
        return (Int64(stats.f_blocks) - Int64(stats.f_bfree)) * fragment
    }
}
