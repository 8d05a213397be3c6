//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Synchronization

/// A fixed-bucket histogram that records with relaxed atomic adds: no lock, no allocation.
///
/// swift-prometheus's `Histogram` takes a lock per observation; this one sits on the send and dispatch
/// paths instead and is read only at scrape time. Readers may see an observation in its bucket a moment
/// before it reaches the sum; a scrape tolerates that. Rendered by ``ExpositionWriter``.
package final class AtomicHistogram: Sendable {
    /// Upper bounds (inclusive, Prometheus `le`) in the recorded unit, ascending; at most 15.
    package let upperBounds: [Int64]
    /// `buckets[i]` counts values in (upperBounds[i-1], upperBounds[i]]; index `upperBounds.count` is +Inf.
    private let buckets: InlineArray<16, Atomic<Int64>>
    private let total = Atomic<Int64>(0)

    package init(upperBounds: [Int64]) {
        precondition(upperBounds.count < 16 && upperBounds == upperBounds.sorted(), "at most 15 ascending bounds")
        self.upperBounds = upperBounds
        self.buckets = InlineArray { _ in Atomic(0) }
    }

    /// Records one observation (a linear scan: the bound lists are short).
    @inline(__always)
    package func record(_ value: Int64) {
        var index = 0
        while index < upperBounds.count && value > upperBounds[index] { index += 1 }
        buckets[index].wrappingAdd(1, ordering: .relaxed)
        total.wrappingAdd(value, ordering: .relaxed)
    }

    /// Cumulative counts per bound then +Inf (whose value is the count), and the sum.
    package struct Snapshot: Sendable {
        package var cumulative: [Int64]
        package var sum: Int64
        package var count: Int64 { cumulative.last ?? 0 }
    }

    package func snapshot() -> Snapshot {
        var cumulative: [Int64] = []
        cumulative.reserveCapacity(upperBounds.count + 1)
        var running: Int64 = 0
        for index in 0...upperBounds.count {
            running &+= buckets[index].load(ordering: .relaxed)
            cumulative.append(running)
        }
        return Snapshot(cumulative: cumulative, sum: total.load(ordering: .relaxed))
    }
}
