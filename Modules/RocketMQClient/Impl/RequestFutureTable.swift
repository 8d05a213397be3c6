//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import Synchronization

/// Requests waiting for their reply, by correlation id (Java `RequestFutureHolder` /
/// `RequestResponseFuture`), one table per client instance because the broker pushes a reply to the
/// connection of the instance named in `REPLY_TO_CLIENT`.
///
/// A slot is registered before the request is sent, so a reply that arrives before the requester starts
/// waiting is kept, not dropped. All state is in one `Mutex`; continuations are resumed outside it.
final class RequestFutureTable: Sendable {
    private enum Slot {
        case waiting(CheckedContinuation<MessageExt?, Never>?)
        case arrived(MessageExt)
    }
    private let slots = Mutex<[String: Slot]>([:])

    func register(_ correlationID: String) {
        slots.withLock { $0[correlationID] = .waiting(nil) }
    }

    /// Hands a pushed reply to its requester. - Returns: false when no request waits for it (late or foreign).
    @discardableResult
    func complete(_ correlationID: String, with message: MessageExt) -> Bool {
        let (matched, continuation) = slots.withLock { s -> (Bool, CheckedContinuation<MessageExt?, Never>?) in
            guard case .waiting(let c)? = s[correlationID] else { return (false, nil) }
            if let c {
                s.removeValue(forKey: correlationID)
                return (true, c)
            }
            s[correlationID] = .arrived(message)
            return (true, nil)
        }
        continuation?.resume(returning: message)
        return matched
    }

    /// Waits at most `timeout` for the reply; nil when none came (or the task was cancelled). The slot is
    /// gone afterwards either way.
    func wait(_ correlationID: String, timeout: Duration) async -> MessageExt? {
        await withTaskGroup(of: MessageExt?.self) { group in
            group.addTask { await self.awaitSlot(correlationID) }
            group.addTask {
                // Ends early on cancellation; either way the waiter is released with nil.
                try? await Task.sleep(for: timeout)
                self.expire(correlationID)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            if first != nil { return first }
            // The timer won; the waiter may still have taken a reply that raced it.
            var late: MessageExt?
            while let next = await group.next() { if let next { late = next } }
            return late
        }
    }

    private func awaitSlot(_ correlationID: String) async -> MessageExt? {
        await withCheckedContinuation { (c: CheckedContinuation<MessageExt?, Never>) in
            let ready = slots.withLock { s -> MessageExt?? in
                switch s[correlationID] {
                case .arrived(let m)?:
                    s.removeValue(forKey: correlationID)
                    return .some(m)
                case .waiting?:
                    s[correlationID] = .waiting(c)
                    return nil
                case nil:
                    return .some(nil)  // expired before we got here
                }
            }
            if let ready { c.resume(returning: ready) }
        }
    }

    /// Drops the slot and releases its waiter with nil.
    func expire(_ correlationID: String) {
        let c = slots.withLock { s -> CheckedContinuation<MessageExt?, Never>? in
            guard let slot = s.removeValue(forKey: correlationID) else { return nil }
            if case .waiting(let c) = slot { return c }
            return nil
        }
        c?.resume(returning: nil)
    }

    var count: Int { slots.withLock { $0.count } }
}
