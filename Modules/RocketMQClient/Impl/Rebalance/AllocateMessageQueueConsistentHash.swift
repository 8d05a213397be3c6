//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQRemoting

/// Consistent hashing of queues onto members (Java `AllocateMessageQueueConsistentHash` with
/// `ConsistentHashRouter` and its default MD5 hash), so a member joining or leaving moves few queues.
///
/// Ring: each client id gets `virtualNodeCount` points at `hash("<clientId>-<i>")`; a queue goes to the
/// first point at or after `hash(queue.description)` (wrapping). The hash is the first 4 bytes of the MD5
/// of the UTF-8 key as an unsigned big-endian number, exactly as upstream's `MD5Hash`.
public struct AllocateMessageQueueConsistentHash: AllocateMessageQueueStrategy {
    public var virtualNodeCount: Int

    public init(virtualNodeCount: Int = 10) {
        precondition(virtualNodeCount >= 0, "virtualNodeCount must be >= 0")
        self.virtualNodeCount = virtualNodeCount
    }

    public var name: String { "CONSISTENT_HASH" }

    public func allocate(consumerGroup: String, currentCID: String, mqAll: [MessageQueue], cidAll: [String])
        -> [MessageQueue]
    {
        guard isValid(currentCID: currentCID, mqAll: mqAll, cidAll: cidAll) else { return [] }
        // Later nodes overwrite equal hashes, as TreeMap.put does.
        var ring: [Int64: String] = [:]
        for cid in cidAll {
            for i in 0..<virtualNodeCount { ring[Self.hash("\(cid)-\(i)")] = cid }
        }
        let points = ring.keys.sorted()
        guard let first = points.first else { return [] }
        return mqAll.filter { mq in
            let h = Self.hash(mq.description)
            let point = Self.lowerBound(points, h) ?? first
            return ring[point] == currentCID
        }
    }

    static func lowerBound(_ sorted: [Int64], _ value: Int64) -> Int64? {
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count ? sorted[lo] : nil
    }

    /// Upstream `MD5Hash.hash`: first four digest bytes as an unsigned number.
    static func hash(_ key: String) -> Int64 {
        let digest = MD5.digest(Array(key.utf8))
        var h: Int64 = 0
        for i in 0..<4 { h = (h << 8) | Int64(digest[i]) }
        return h
    }
}
