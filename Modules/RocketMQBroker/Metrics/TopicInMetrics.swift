//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQMetrics
import RocketMQStore
import Synchronization

/// One topic's incoming-message counters: `rocketmq_messages_in_total`, `rocketmq_throughput_in_total`
/// and `rocketmq_message_size`, one slot per ``MetricsMessageType``.
///
/// The send path gets this handle from the same locked topic-config lookup it already makes
/// (``TopicConfigManager/selectForSend(_:)``), so counting a message is three relaxed atomic adds and a
/// short bucket scan: no string, no label set, no extra lock. The handle lives as long as the topic.
final class TopicInMetrics: Sendable {
    /// Upstream's message-size buckets: 1 KiB, 4 KiB, 512 KiB, 1 MiB, 2 MiB, 4 MiB.
    static let sizeBounds: [Int64] = [1024, 4096, 512 * 1024, 1024 * 1024, 2 * 1024 * 1024, 4 * 1024 * 1024]

    let topic: String
    let isSystem: Bool
    private let messages: InlineArray<4, Atomic<Int64>>
    private let bytes: InlineArray<4, Atomic<Int64>>
    private let sizes: [AtomicHistogram]

    init(topic: String) {
        self.topic = topic
        self.isSystem = TopicValidator.isSystemTopic(topic)
        self.messages = InlineArray { _ in Atomic(0) }
        self.bytes = InlineArray { _ in Atomic(0) }
        self.sizes = MetricsMessageType.allCases.map { _ in AtomicHistogram(upperBounds: Self.sizeBounds) }
    }

    /// Counts a stored send: `count` records of `wroteBytes` in all (upstream: the append result's
    /// msgNum and wroteBytes; the size histogram gets the mean record size).
    @inline(__always)
    func record(_ type: MetricsMessageType, count: Int32, wroteBytes: Int32) {
        guard count > 0 else { return }
        let slot = type.rawValue
        messages[slot].wrappingAdd(Int64(count), ordering: .relaxed)
        bytes[slot].wrappingAdd(Int64(wroteBytes), ordering: .relaxed)
        sizes[slot].record(Int64(wroteBytes / count))
    }

    struct Reading {
        var type: MetricsMessageType
        var messages: Int64
        var bytes: Int64
        var sizes: AtomicHistogram.Snapshot
    }

    /// The message types that saw traffic.
    func readings() -> [Reading] {
        MetricsMessageType.allCases.compactMap { type in
            let n = messages[type.rawValue].load(ordering: .relaxed)
            guard n > 0 else { return nil }
            return Reading(
                type: type,
                messages: n,
                bytes: bytes[type.rawValue].load(ordering: .relaxed),
                sizes: sizes[type.rawValue].snapshot()
            )
        }
    }

    /// Messages of one type so far (half messages: transaction).
    func messageCount(_ type: MetricsMessageType) -> Int64 { messages[type.rawValue].load(ordering: .relaxed) }
}

/// A send's counting, decided before the store and applied to its result (async and inline paths alike).
struct IncomingCount: Sendable {
    let handle: TopicInMetrics
    let type: MetricsMessageType

    /// Counts the stored records of a successful put (upstream counts PUT_OK only).
    func record(_ result: PutMessageResult) {
        guard result.isOK, let append = result.appendResult else { return }
        handle.record(type, count: append.msgNum, wroteBytes: append.wroteBytes)
    }
}
