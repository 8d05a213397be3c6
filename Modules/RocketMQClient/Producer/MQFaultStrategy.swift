//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting
import Synchronization

/// Queue selection with broker latency avoidance (a simple version of Java `MQFaultStrategy` +
/// `LatencyFaultToleranceImpl`).
///
/// Queues are chosen round robin. A retry avoids the broker that just failed. With
/// `sendLatencyFaultEnable` a broker whose last send was slow or failed is skipped for a while
/// (upstream's latency → penalty table). State is a `Mutex`-guarded table plus an atomic counter.
final class MQFaultStrategy: Sendable {
    static let latencyMax: [Int64] = [50, 100, 550, 1000, 2000, 3000, 15000]
    static let notAvailableDuration: [Int64] = [0, 0, 30000, 60000, 120000, 180000, 600000]

    private let index = Atomic<Int>(Int.random(in: 0..<1024))
    /// brokerName → time (ms) until which the broker is avoided.
    private let faults = Mutex<[String: Int64]>([:])

    func nextIndex() -> Int { index.wrappingAdd(1, ordering: .relaxed).newValue & Int.max }

    func isAvailable(_ brokerName: String, now: Int64 = Clock.millis()) -> Bool {
        faults.withLock { ($0[brokerName] ?? 0) <= now }
    }

    /// Picks a queue; `lastBrokerName` is the broker of the previous failed attempt.
    func select(_ queues: [MessageQueue], lastBrokerName: String?, latencyEnabled: Bool) -> MessageQueue? {
        guard !queues.isEmpty else { return nil }
        let start = nextIndex()
        if latencyEnabled {
            let now = Clock.millis()
            for i in 0..<queues.count {
                let mq = queues[(start + i) % queues.count]
                if mq.brokerName != lastBrokerName && isAvailable(mq.brokerName, now: now) { return mq }
            }
        }
        if let lastBrokerName {
            for i in 0..<queues.count {
                let mq = queues[(start + i) % queues.count]
                if mq.brokerName != lastBrokerName { return mq }
            }
        }
        return queues[start % queues.count]
    }

    /// Records a send's latency; `isolation` (a connection failure) counts as 30 s.
    func update(brokerName: String, latencyMillis: Int64, isolation: Bool) {
        let latency = isolation ? 30000 : latencyMillis
        var duration: Int64 = 0
        for i in stride(from: Self.latencyMax.count - 1, through: 0, by: -1) where latency >= Self.latencyMax[i] {
            duration = Self.notAvailableDuration[i]
            break
        }
        let until = Clock.millis() + duration
        faults.withLock { $0[brokerName] = until }
    }
}
