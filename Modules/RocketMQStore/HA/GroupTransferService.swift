//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import Synchronization

/// SYNC_MASTER waits (Java `GroupTransferService`), in the group-commit style of the disk flush.
///
/// A send awaits ``waitForSlave(nextOffset:timeoutMillis:)``; each slave acknowledgement resumes every
/// waiter it covers at once, and a periodic ``expire(now:)`` answers FLUSH_SLAVE_TIMEOUT to the rest
/// once their deadline passed. No thread or task waits per send: waiters are continuations in a list.
final class GroupTransferService: Sendable {
    private struct Waiter: Sendable {
        let nextOffset: Int64
        let deadline: UInt64
        let continuation: CheckedContinuation<PutMessageStatus, Never>
    }

    private struct State: Sendable {
        var waiters: [Waiter] = []
        var accepting = true
    }

    /// Highest offset any slave acknowledged (Java `push2SlaveMaxOffset`).
    let ackedOffset = Atomic<Int64>(0)
    private let state = Mutex(State())

    var waitingCount: Int { self.state.withLock { $0.waiters.count } }

    /// Waits until a slave acknowledged `nextOffset`, or the timeout.
    func waitForSlave(nextOffset: Int64, timeoutMillis: Int) async -> PutMessageStatus {
        if self.ackedOffset.load(ordering: .acquiring) >= nextOffset { return .putOK }
        let deadline = Clock.nanos() + UInt64(max(0, timeoutMillis)) * 1_000_000
        return await withCheckedContinuation { continuation in
            let immediate: PutMessageStatus? = self.state.withLock { s in
                guard s.accepting else { return .serviceNotAvailable }
                // Re-checked under the lock: an acknowledgement stores the offset before it takes the
                // lock to release waiters, so it is seen here or releases this waiter.
                if self.ackedOffset.load(ordering: .acquiring) >= nextOffset { return .putOK }
                s.waiters.append(Waiter(nextOffset: nextOffset, deadline: deadline, continuation: continuation))
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    /// A slave acknowledged `offset`: raises the high-water mark and releases the waiters it covers.
    func acknowledge(_ offset: Int64) {
        var current = self.ackedOffset.load(ordering: .relaxed)
        while offset > current {
            let (exchanged, original) = self.ackedOffset.compareExchange(
                expected: current, desired: offset, ordering: .acquiringAndReleasing)
            if exchanged { break }
            current = original
        }
        let acked = self.ackedOffset.load(ordering: .acquiring)
        let released = self.state.withLock { s -> [Waiter] in
            guard s.waiters.contains(where: { $0.nextOffset <= acked }) else { return [] }
            var done: [Waiter] = []
            s.waiters.removeAll { waiter in
                guard waiter.nextOffset <= acked else { return false }
                done.append(waiter)
                return true
            }
            return done
        }
        for waiter in released { waiter.continuation.resume(returning: .putOK) }
    }

    /// Answers FLUSH_SLAVE_TIMEOUT to waiters whose deadline passed.
    func expire(now: UInt64) {
        let expired = self.state.withLock { s -> [Waiter] in
            guard s.waiters.contains(where: { $0.deadline <= now }) else { return [] }
            var done: [Waiter] = []
            s.waiters.removeAll { waiter in
                guard waiter.deadline <= now else { return false }
                done.append(waiter)
                return true
            }
            return done
        }
        for waiter in expired { waiter.continuation.resume(returning: .flushSlaveTimeout) }
    }

    /// Stops accepting waiters and times out the ones left (store shutdown).
    func shutdown() {
        let rest = self.state.withLock { s -> [Waiter] in
            s.accepting = false
            let all = s.waiters
            s.waiters = []
            return all
        }
        for waiter in rest { waiter.continuation.resume(returning: .flushSlaveTimeout) }
    }
}
