//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import RocketMQCommon

/// Retention, topic deletion and runtime information.
extension DefaultMessageStore {
    /// One retention round: commit-log files first, then consume-queue and index files that only
    /// point at deleted data. Runs on the clean thread (or a test).
    @discardableResult
    func cleanFilesOnce(now: Int64) -> Int {
        let deleted = self.clean.cleanCommitLog(self.commitLog, now: now)
        let minPhy = self.commitLog.minOffset
        if minPhy > 0 {
            for queue in self.consumeQueues.all { queue.deleteExpiredFiles(phyMinOffset: minPhy) }
            if self.config.messageIndexEnable { self.indexService.deleteExpiredFiles(phyMinOffset: minPhy) }
        }
        return deleted
    }

    /// Deletes expired files now, whatever the hour (Java `executeDeleteFilesManually`).
    @discardableResult
    public func executeDeleteFilesManually() -> Int {
        self.clean.requestManualDelete()
        return self.cleanFilesOnce(now: Clock.millis())
    }

    /// Re-reads disk usage and updates the disk-full flag now instead of waiting for the clean thread.
    public func checkDiskSpace() {
        _ = self.cleanFilesOnce(now: Clock.millis())
    }

    /// Whether puts are being refused because the disk is almost full.
    public var isDiskFull: Bool { self.clean.diskFull.load(ordering: .acquiring) }

    /// Whether dispatch is stuck on a record whose consume-queue unit has no disk space (puts are
    /// refused until it goes through; upstream's logic-queue error).
    public var isDispatchBlocked: Bool { self.reput.isBlocked }

    /// Removes the consume queues (files included) and offset counters of these topics
    /// (Java `deleteTopics`); their commit-log records stay until retention removes them.
    @discardableResult
    public func deleteTopics(_ topics: Set<String>) -> Int {
        var removed = 0
        for topic in topics {
            for queue in self.consumeQueues.removeTopic(topic) {
                queue.destroy()
                removed += 1
            }
            self.commitLog.removeQueueOffsets(topic: topic)
            _ = self.rmdirTopic(self.config.storePathConsumeQueue + "/" + topic)
        }
        return removed
    }

    private func rmdirTopic(_ path: String) -> Int32 {
        #if canImport(Glibc)
        return Glibc.rmdir(path)
        #else
        return 0
        #endif
    }

    /// Replication state: a master's slaves, or a slave's link to its master.
    public var haRuntimeStatus: HARuntimeStatus { self.ha.runtimeStatus }

    /// A few gauges for `mqadmin brokerStatus`-style output (Java `getRuntimeInfo` keys where they exist).
    public var runtimeInfo: [String: String] {
        var info: [String: String] = [:]
        info["commitLogMinOffset"] = String(self.commitLog.minOffset)
        info["commitLogMaxOffset"] = String(self.commitLog.maxOffset)
        info["commitLogDiskRatio"] = String(self.config.diskUsageRatio(self.config.storePathCommitLog))
        info["dispatchBehindBytes"] = String(self.dispatchBehindBytes)
        info["putMessageTimesTotal"] = String(self.putMessageTimesTotal.load(ordering: .relaxed))
        info["putMessageSizeTotal"] = String(self.putMessageSizeTotal.load(ordering: .relaxed))
        info["consumeQueueCount"] = String(self.consumeQueues.all.count)
        info["indexFileCount"] = String(self.indexService.fileCount)
        info["commitLogFileCount"] = String(self.commitLog.queue.mappedFiles.count)
        info["flushedWhere"] = String(self.commitLog.queue.flushedWhere.load(ordering: .relaxed))
        info["diskFull"] = String(self.isDiskFull)
        info["lastExitOK"] = String(self.lastExitOK.load(ordering: .relaxed))
        if self.config.brokerRole == .slave {
            info["haMasterAddress"] = self.ha.client.masterAddress ?? ""
            info["haConnected"] = String(self.ha.client.isConnected)
            info["haLastTransferTimestamp"] = String(self.ha.client.lastTransferMillis)
        } else {
            info["haSlaveCount"] = String(self.ha.slaveCount.load(ordering: .relaxed))
            info["push2SlaveMaxOffset"] = String(self.ha.push2SlaveMaxOffset)
            for (index, slave) in self.ha.slaves.enumerated() {
                info["haSlave\(index)"] = "\(slave.address) ackedOffset=\(slave.ackedOffset) behind=\(slave.behindBytes)"
            }
        }
        return info
    }
}
