//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import Synchronization

/// Messages pulled from one queue and not yet consumed (Java `ProcessQueue`).
///
/// The pull loop adds, consumers remove; the smallest offset still held is what may be committed.
/// All state is in one `Mutex`; `dropped` is an atomic so loops can poll it cheaply.
final class ProcessQueue: Sendable {
    struct State {
        var messages: [Int64: MessageExt] = [:]
        var queueOffsetMax: Int64 = 0
        /// Orderly: messages handed to the listener and not yet committed.
        var consuming: [Int64: MessageExt] = [:]
        /// Orderly: a consume task is running for this queue.
        var consumingOrderly = false
        var locked = false
        var lastLockTimestamp: Int64 = 0
        var lastPullTimestamp: Int64 = Clock.millis()
        var lastConsumeTimestamp: Int64 = Clock.millis()
    }

    /// A broker lock older than this is treated as lost (Java `REBALANCE_LOCK_MAX_LIVE_TIME`, 30 s).
    static let lockMaxLiveMillis: Int64 = 30_000

    private let state = Mutex(State())
    private let droppedFlag = Atomic<Bool>(false)

    var isDropped: Bool { droppedFlag.load(ordering: .acquiring) }
    func markDropped() { droppedFlag.store(true, ordering: .releasing) }

    var messageCount: Int { state.withLock { $0.messages.count + $0.consuming.count } }

    var isLocked: Bool {
        state.withLock { $0.locked && Clock.millis() - $0.lastLockTimestamp <= Self.lockMaxLiveMillis }
    }

    func setLocked(_ locked: Bool) {
        state.withLock {
            $0.locked = locked
            if locked { $0.lastLockTimestamp = Clock.millis() }
        }
    }

    func markPulled() { state.withLock { $0.lastPullTimestamp = Clock.millis() } }

    /// Adds pulled messages. Returns true when an orderly consume task should be started.
    @discardableResult
    func putMessages(_ messages: [MessageExt]) -> Bool {
        state.withLock { s in
            for message in messages {
                if s.messages.updateValue(message, forKey: message.queueOffset) == nil {
                    s.queueOffsetMax = max(s.queueOffsetMax, message.queueOffset)
                }
            }
            if !s.messages.isEmpty && !s.consumingOrderly {
                s.consumingOrderly = true
                return true
            }
            return false
        }
    }

    /// Removes consumed messages and returns the offset that may now be committed, or -1 when nothing
    /// was held (Java `removeMessage`).
    func removeMessages(_ messages: [MessageExt]) -> Int64 {
        state.withLock { s in
            guard !s.messages.isEmpty else { return -1 }
            for message in messages { s.messages.removeValue(forKey: message.queueOffset) }
            s.lastConsumeTimestamp = Clock.millis()
            return s.messages.keys.min() ?? s.queueOffsetMax + 1
        }
    }

    /// Orderly: moves up to `batchSize` lowest-offset messages into the consuming set. An empty result
    /// ends the consume task (the flag is cleared under the same lock, so a later put restarts it).
    func takeMessages(_ batchSize: Int) -> [MessageExt] {
        state.withLock { s in
            let keys = s.messages.keys.sorted().prefix(max(1, batchSize))
            var result: [MessageExt] = []
            for key in keys {
                if let m = s.messages.removeValue(forKey: key) {
                    result.append(m)
                    s.consuming[key] = m
                }
            }
            if result.isEmpty { s.consumingOrderly = false }
            return result
        }
    }

    /// Orderly: the consumed batch is done; returns the next offset to commit (-1 if none).
    func commit() -> Int64 {
        state.withLock { s in
            let last = s.consuming.keys.max()
            s.consuming.removeAll()
            return last.map { $0 + 1 } ?? -1
        }
    }

    /// Orderly: puts a failed batch back so it is taken again first.
    func makeMessagesToConsumeAgain(_ messages: [MessageExt]) {
        state.withLock { s in
            for m in messages {
                s.consuming.removeValue(forKey: m.queueOffset)
                s.messages[m.queueOffset] = m
            }
        }
    }

    /// Orderly: stops the consume task flag (queue dropped or unlocked).
    func stopConsuming() { state.withLock { $0.consumingOrderly = false } }

    func clear() {
        state.withLock { s in
            s.messages.removeAll()
            s.consuming.removeAll()
            s.queueOffsetMax = 0
        }
    }
}
