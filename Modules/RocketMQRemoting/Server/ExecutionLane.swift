//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Synchronization

/// A named in-flight budget for one group of request codes (send, pull, heartbeat, admin).
///
/// Replaces Java's per-code thread pools: when the budget is spent the dispatcher answers
/// `SYSTEM_BUSY` at once instead of queueing without bound, so slow pulls never starve sends.
public final class ExecutionLane: Sendable {
    public let name: String
    public let capacity: Int
    private let inFlight = Atomic<Int>(0)

    public init(name: String, capacity: Int) {
        self.name = name
        self.capacity = capacity
    }

    /// Takes one slot; false when the lane is full.
    public func tryAcquire() -> Bool {
        let now = inFlight.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue
        if now > capacity {
            inFlight.wrappingSubtract(1, ordering: .acquiringAndReleasing)
            return false
        }
        return true
    }

    public func release() { inFlight.wrappingSubtract(1, ordering: .acquiringAndReleasing) }

    public var load: Int { inFlight.load(ordering: .acquiring) }
}
