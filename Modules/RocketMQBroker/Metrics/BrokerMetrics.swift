//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQMetrics
import Synchronization

/// The broker's metric state (upstream `BrokerMetricsManager`): counters the request paths bump, and the
/// tables a scrape reads. Gauges are computed when scraped (``BrokerMetrics/render(_:)``), never on a
/// request path.
///
/// Cost by path, when enabled: a send bumps the topic handle it got from its topic lookup (no lock of its
/// own); a successful pull takes one short lock to bump its (topic, group) counters and note the pulled
/// offset (once per pull batch, not per message); DLQ, commit and rollback events take one short lock.
/// When disabled none of this runs and the dispatcher reads no clock.
public final class BrokerMetrics: Sendable {
    public let enabled: Bool
    let commonLabels: MetricsLabels
    /// `rocketmq_rpc_latency`, handed to the remoting server.
    let rpcLatency = RPCLatencyMetrics()

    struct OutKey: Hashable, Sendable {
        var topic: String
        var group: String
    }
    struct QueueKey: Hashable, Sendable {
        var group: String
        var topic: String
        var queueID: Int32
    }
    struct Outgoing: Sendable {
        var messages: Int64 = 0
        var bytes: Int64 = 0
    }
    struct PullState: Sendable {
        var outgoing: [OutKey: Outgoing] = [:]
        /// Next offset each (group, topic, queue) will pull from: in-flight = this - committed offset.
        var pullOffsets: [QueueKey: Int64] = [:]
    }
    private let pulls = Mutex(PullState())
    /// `rocketmq_send_to_dlq_messages_total`, `rocketmq_commit_messages_total`,
    /// `rocketmq_rollback_messages_total` (swift-metrics counters).
    let events: EventCounters
    /// Half messages resolved (committed or rolled back) per real topic, for `rocketmq_half_messages`.
    private let resolvedHalves = Mutex<[String: Int64]>([:])

    init(config: BrokerConfig) {
        self.enabled = config.metricsExporter == .prom
        self.commonLabels = config.metricsCommonLabels()
        self.events = EventCounters(commonLabels: commonLabels)
    }

    /// A successful pull of `count` messages (`bytes` on the wire) that continues at `nextOffset`.
    func recordPull(topic: String, group: String, queueID: Int32, count: Int, bytes: Int, nextOffset: Int64) {
        guard enabled else { return }
        pulls.withLock { s in
            s.outgoing[OutKey(topic: topic, group: group), default: Outgoing()].messages += Int64(count)
            s.outgoing[OutKey(topic: topic, group: group)]?.bytes += Int64(bytes)
            s.pullOffsets[QueueKey(group: group, topic: topic, queueID: queueID)] = nextOffset
        }
    }

    /// A message that exhausted its retries went to `%DLQ%group` (`topic`: the topic it was first sent to).
    func recordSendToDLQ(group: String, topic: String) {
        guard enabled else { return }
        events.increment(
            "rocketmq_send_to_dlq_messages_total",
            labels: [
                ("consumer_group", group), ("topic", topic),
                ("is_system", String(BrokerController.isSystem(topic: topic, group: group))),
            ]
        )
    }

    /// A half message of `topic` was committed (true) or rolled back (false) by END_TRANSACTION.
    func recordEndTransaction(topic: String, commit: Bool) {
        guard enabled else { return }
        events.increment(
            commit ? "rocketmq_commit_messages_total" : "rocketmq_rollback_messages_total",
            labels: [("topic", topic)]
        )
        resolvedHalves.withLock { $0[topic, default: 0] += 1 }
    }

    var pullSnapshot: PullState { pulls.withLock { $0 } }
    var resolvedHalfMessages: [String: Int64] { resolvedHalves.withLock { $0 } }

    /// Drops a deleted topic's or group's pull positions and outgoing series (no stale series after deletion).
    func forget(topic: String? = nil, group: String? = nil) {
        pulls.withLock { s in
            s.pullOffsets = s.pullOffsets.filter { key, _ in key.topic != topic && key.group != group }
            s.outgoing = s.outgoing.filter { key, _ in key.topic != topic && key.group != group }
        }
    }
}
