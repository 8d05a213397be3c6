//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQStore
import Synchronization

/// Parks pulls that found nothing and wakes them when a message for their queue is dispatched that
/// their subscription accepts, or when their hold time ends (Java `PullRequestHoldService`).
///
/// A parked pull is a suspended task waiting on a continuation, so no thread is held. The reput
/// service's arriving notification resumes waiters at once; a checker resumes expired ones.
public final class PullRequestHoldService: Sendable {
    struct Waiter {
        let id: UInt64
        let offset: Int64
        let deadline: UInt64
        /// The pull's subscription filter; nil wakes on any message.
        let filter: (any MessageFilter)?
        let continuation: CheckedContinuation<Void, Never>
    }

    struct Table {
        var nextID: UInt64 = 0
        var waiters: [String: [Waiter]] = [:]
        /// No waiter expires before this; lets the frequent expiry check skip the scan.
        var earliestDeadline: UInt64 = .max
    }

    private let table = Mutex(Table())

    public init() {}

    static func key(_ topic: String, _ queueID: Int32) -> String { topic + "@" + String(queueID) }

    /// Suspends until a message at or beyond `offset` may be available, or until `timeoutMillis`.
    ///
    /// \`currentMaxOffset\` is read again after the waiter is registered, so a message dispatched between
    /// the caller's lookup and the registration is not missed.
    public func hold(topic: String, queueID: Int32, offset: Int64, timeoutMillis: Int64,
                     filter: (any MessageFilter)? = nil, currentMaxOffset: @Sendable () -> Int64) async {
        let key = Self.key(topic, queueID)
        let deadline = Clock.nanos() + UInt64(max(0, timeoutMillis)) * 1_000_000
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            table.withLock { t in
                t.nextID &+= 1
                t.earliestDeadline = min(t.earliestDeadline, deadline)
                t.waiters[key, default: []].append(Waiter(id: t.nextID, offset: offset, deadline: deadline, filter: filter,
                                                          continuation: c))
            }
            let maxOffset = currentMaxOffset()
            if maxOffset > offset { notifyMessageArriving(topic: topic, queueID: queueID, maxOffset: maxOffset) }
        }
    }

    /// A message was dispatched to a queue: wake pulls waiting below `maxOffset` whose filter accepts it.
    ///
    /// Without `tagsCode` (the re-check in `hold`, where what arrived is unknown) every pull below
    /// `maxOffset` wakes. As upstream, the commit-log check runs only when `properties` are given.
    public func notifyMessageArriving(topic: String, queueID: Int32, maxOffset: Int64, tagsCode: Int64? = nil,
                                      properties: [String: String]? = nil) {
        let key = Self.key(topic, queueID)
        let ready = table.withLock { t -> [Waiter] in
            guard let list = t.waiters[key], !list.isEmpty else { return [] }
            var keep: [Waiter] = []
            var wake: [Waiter] = []
            for w in list {
                var match = maxOffset > w.offset
                if match, let tagsCode, let filter = w.filter {
                    match = filter.isMatchedByConsumeQueue(tagsCode: tagsCode)
                    if match, let properties { match = filter.isMatchedByCommitLog(properties: { properties }) }
                }
                if match { wake.append(w) } else { keep.append(w) }
            }
            if keep.isEmpty { t.waiters.removeValue(forKey: key) } else { t.waiters[key] = keep }
            return wake
        }
        for w in ready { w.continuation.resume() }
    }

    /// Resumes waiters whose hold time ended. Returns how many.
    ///
    /// Runs every 100 ms; with thousands of parked pulls it must not rebuild every queue's list each
    /// time, so it returns at once until the earliest deadline, and rewrites only lists that changed.
    @discardableResult
    public func checkExpired(now: UInt64 = Clock.nanos()) -> Int {
        let expired = table.withLock { t -> [Waiter] in
            guard now >= t.earliestDeadline else { return [] }
            var out: [Waiter] = []
            var earliest = UInt64.max
            var index = t.waiters.values.startIndex
            while index != t.waiters.values.endIndex {
                if t.waiters.values[index].contains(where: { $0.deadline <= now }) {
                    out.append(contentsOf: t.waiters.values[index].lazy.filter { $0.deadline <= now })
                    t.waiters.values[index].removeAll { $0.deadline <= now }
                }
                for w in t.waiters.values[index] { earliest = min(earliest, w.deadline) }
                t.waiters.values.formIndex(after: &index)
            }
            if !out.isEmpty { t.waiters = t.waiters.filter { !$0.value.isEmpty } }
            t.earliestDeadline = earliest
            return out
        }
        for w in expired { w.continuation.resume() }
        return expired.count
    }

    /// Wakes everyone (shutdown).
    public func wakeAll() {
        let all = table.withLock { t -> [Waiter] in
            let v = t.waiters.values.flatMap { $0 }
            t.waiters.removeAll()
            t.earliestDeadline = .max
            return v
        }
        for w in all { w.continuation.resume() }
    }

    public var parkedCount: Int { table.withLock { $0.waiters.values.reduce(0) { $0 + $1.count } } }
}
