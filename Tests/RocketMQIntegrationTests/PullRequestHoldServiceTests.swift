//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQBroker
import RocketMQCommon
import Synchronization
import Testing

/// The parked-pull table on its own: many waiters, an expiry check that skips work until the earliest
/// deadline, and wake-ups that reach exactly the waiters of the queue that got a message.
@Suite("Pull hold service", .timeLimit(.minutes(1)))
struct PullRequestHoldServiceTests {
    @Test func expiryWakesOnlyDueWaitersAndArrivalsOnlyTheirQueue() async throws {
        let hold = PullRequestHoldService()
        let woken = WokenNames()
        try await withThrowingTaskGroup(of: Void.self) { group in
            // 200 queues with a 60 s hold, plus one queue with a 5 s hold.
            for q in 0..<200 as Range<Int32> {
                group.addTask {
                    await hold.hold(topic: "T", queueID: q, offset: 0, timeoutMillis: 60_000) { 0 }
                    woken.names.withLock { $0.append("T@\(q)") }
                }
            }
            group.addTask {
                await hold.hold(topic: "Short", queueID: 0, offset: 0, timeoutMillis: 5_000) { 0 }
                woken.names.withLock { $0.append("Short") }
            }
            try await waitFor { hold.parkedCount == 201 }
            // Before any deadline nothing is due.
            #expect(hold.checkExpired(now: Clock.nanos()) == 0)
            // Ten seconds on, only the short hold is due.
            #expect(hold.checkExpired(now: Clock.nanos() + 10_000_000_000) == 1)
            try await waitFor { woken.names.withLock { $0 } == ["Short"] }
            #expect(hold.parkedCount == 200)
            // A message on queue 7 wakes that pull alone; one below the waiter's offset wakes nobody.
            hold.notifyMessageArriving(topic: "T", queueID: 7, maxOffset: 1)
            hold.notifyMessageArriving(topic: "T", queueID: 8, maxOffset: 0)
            try await waitFor { woken.names.withLock { $0 }.count == 2 }
            #expect(woken.names.withLock { $0 } == ["Short", "T@7"])
            #expect(hold.parkedCount == 199)
            // Past the long deadline every remaining waiter is resumed, once.
            #expect(hold.checkExpired(now: Clock.nanos() + 120_000_000_000) == 199)
            #expect(hold.checkExpired(now: Clock.nanos() + 240_000_000_000) == 0)
            try await group.waitForAll()
        }
        #expect(woken.names.withLock { $0.count } == 201)
        #expect(Set(woken.names.withLock { $0 }).count == 201)
    }

    func waitFor(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw TestFailure("timed out") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

private final class WokenNames: Sendable {
    let names = Mutex<[String]>([])
}
