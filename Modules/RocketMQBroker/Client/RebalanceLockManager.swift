//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting
import Synchronization

/// Queue locks for orderly consumers (Java `RebalanceLockManager`): a client holds a queue until it
/// unlocks or stops renewing for `lockMaxLiveTime` (60 s).
public final class RebalanceLockManager: Sendable {
    struct Entry { var clientID: String; var lastUpdate: Int64 }
    private let table = Mutex<[String: [MessageQueue: Entry]]>([:])
    let lockMaxLiveTime: Int64

    public init(lockMaxLiveTime: Int64 = 60_000) { self.lockMaxLiveTime = lockMaxLiveTime }

    /// Locks what it can for the client; returns the queues now held by it.
    public func tryLockBatch(group: String, queues: [MessageQueue], clientID: String) -> [MessageQueue] {
        let now = Clock.millis()
        return table.withLock { t -> [MessageQueue] in
            var groupTable = t[group] ?? [:]
            var locked: [MessageQueue] = []
            for mq in queues {
                if let e = groupTable[mq], e.clientID != clientID, now - e.lastUpdate <= lockMaxLiveTime { continue }
                groupTable[mq] = Entry(clientID: clientID, lastUpdate: now)
                locked.append(mq)
            }
            t[group] = groupTable
            return locked
        }
    }

    public func unlockBatch(group: String, queues: [MessageQueue], clientID: String) {
        table.withLock { t in
            for mq in queues where t[group]?[mq]?.clientID == clientID { t[group]?.removeValue(forKey: mq) }
        }
    }

    public func isLocked(group: String, queue: MessageQueue, clientID: String) -> Bool {
        let now = Clock.millis()
        return table.withLock { t in
            guard let e = t[group]?[queue] else { return false }
            return e.clientID == clientID && now - e.lastUpdate <= lockMaxLiveTime
        }
    }
}
