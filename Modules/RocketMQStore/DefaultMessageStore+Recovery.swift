//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon

/// Start-up recovery (Java `DefaultMessageStore.recover`).
///
/// 1. Each consume queue finds its last valid unit.
/// 2. The commit log's valid end is found: after a clean shutdown by checking only the tail after
///    the end recorded in the checkpoint; after a crash by scanning with CRC checks from the newest
///    file older than the checkpoint's safe time.
/// 3. The torn tail is zeroed, later files dropped, and consume-queue units past the end removed.
/// 4. Records not yet in the consume queues or the index are re-dispatched, synchronously, before
///    the per-queue offset counters are rebuilt from the consume queues.
extension DefaultMessageStore {
    func recover(lastExitOK: Bool) {
        let queues = self.consumeQueues.all
        for queue in queues { queue.recover() }
        let files = self.commitLog.queue.mappedFiles
        let minOffset = files.first?.fileFromOffset ?? 0
        let maxFileEnd = (files.last?.fileFromOffset ?? 0) + Int64(files.isEmpty ? 0 : self.commitLog.fileSize)
        let maxLogicPhysic = queues.map { $0.maxPhysicOffset.load(ordering: .acquiring) }.max() ?? -1

        let validEnd: Int64
        let redispatchFrom: Int64
        if lastExitOK {
            let confirmed = self.checkpoint.confirmPhyOffset.load(ordering: .acquiring)
            var start: Int64
            if confirmed > minOffset && confirmed <= maxFileEnd {
                start = confirmed
            } else if maxLogicPhysic > minOffset && maxLogicPhysic <= maxFileEnd {
                start = maxLogicPhysic
            } else {
                start = files.count > 3 ? files[files.count - 3].fileFromOffset : minOffset
            }
            if start == maxFileEnd, let last = files.last { start = last.fileFromOffset }
            validEnd = self.scanFromRecordBoundary(start, checkCRC: self.config.checkCRCOnRecover)
            redispatchFrom = maxLogicPhysic >= minOffset ? min(maxLogicPhysic, validEnd) : minOffset
        } else {
            let safeStart = self.commitLog.safeRecoveryStart(
                minTimestamp: self.checkpoint.minTimestamp(
                    includeIndex: self.config.messageIndexEnable && self.config.messageIndexSafe))
            validEnd = self.commitLog.scanValidEnd(from: safeStart, checkCRC: self.config.checkCRCOnRecover)
            // Everything from the safe start is dispatched again (the queues and the index skip what they
            // hold): they reach the disk independently of each other and of the log, and a queue whose file
            // never reached it is not even listed, so no queue's end says what the others hold.
            redispatchFrom = safeStart
            self.logger.warning(
                "abnormal shutdown detected; recovered commit log",
                metadata: ["safeStart": "\(safeStart)", "validEnd": "\(validEnd)"])
        }
        self.commitLog.truncate(validEnd: validEnd)
        for queue in queues { queue.truncateDirtyLogicFiles(phyOffset: validEnd) }
        self.redispatch(from: redispatchFrom, to: validEnd)

        var table: [CommitLog.TopicQueueKey: Int64] = [:]
        let commitLogMin = self.commitLog.queue.minOffset
        for queue in self.consumeQueues.all {
            queue.correctMinOffset(phyMinOffset: commitLogMin)
            table[CommitLog.TopicQueueKey(topic: queue.topic, queueID: queue.queueID)] = queue.maxOffsetInQueue
        }
        self.commitLog.resetAppendState(validEnd: validEnd, topicQueueTable: table)
    }

    /// Finds the end when `start` may not be a record boundary we can trust: fall back to a scan of
    /// the file containing it if the tail check finds nothing valid right at `start`.
    private func scanFromRecordBoundary(_ start: Int64, checkCRC: Bool) -> Int64 {
        self.commitLog.scanValidEnd(from: start, checkCRC: checkCRC)
    }

    /// Dispatches the valid records in `[from, to)` (skipping what the queues and index already hold).
    private func redispatch(from: Int64, to: Int64) {
        guard from < to else { return }
        let dispatchers = self.registeredDispatchers
        var count = 0
        _ = self.commitLog.scanValidEnd(from: from, checkCRC: false) { request in
            guard request.commitLogOffset < to else { return }
            self.doDispatch(request, dispatchers: dispatchers)
            count += 1
        }
        self.logger.info("re-dispatched records", metadata: ["from": "\(from)", "count": "\(count)"])
    }
}
