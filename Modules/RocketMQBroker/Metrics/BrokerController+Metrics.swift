//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQMetrics
import RocketMQStore

/// One scrape of the broker: names, labels and help texts as a RocketMQ 5.x broker exports them through
/// OpenTelemetry's Prometheus exporter (counters already end in `_total`; no unit suffixes).
extension BrokerController {
    func renderMetrics() -> [UInt8] {
        var w = ExpositionWriter(commonLabels: metrics.commonLabels)
        let incoming = topicConfigManager.incomingMetrics.sorted { $0.topic < $1.topic }
        writeIncoming(incoming, into: &w)
        writeOutgoing(into: &w)
        writeClients(into: &w)
        writeLagAndEvents(incoming, into: &w)
        writeStats(into: &w)
        metrics.rpcLatency.write(into: &w)
        return w.bytes(appending: metrics.events)
    }

    private func writeIncoming(_ incoming: [TopicInMetrics], into w: inout ExpositionWriter) {
        for handle in incoming {
            for r in handle.readings() {
                let labels = [
                    ("topic", handle.topic), ("message_type", r.type.label), ("is_system", String(handle.isSystem)),
                ]
                w.counter(
                    "rocketmq_messages_in_total",
                    help: "Total number of incoming messages",
                    labels: labels,
                    value: r.messages
                )
                w.counter(
                    "rocketmq_throughput_in_total",
                    help: "Total traffic of incoming messages",
                    labels: labels,
                    value: r.bytes
                )
                w.histogram(
                    "rocketmq_message_size",
                    help: "Incoming messages size",
                    labels: labels,
                    upperBounds: TopicInMetrics.sizeBounds,
                    snapshot: r.sizes
                )
            }
        }
    }

    private func writeOutgoing(into w: inout ExpositionWriter) {
        for (key, out) in metrics.pullSnapshot.outgoing.sorted(by: {
            ($0.key.topic, $0.key.group) < ($1.key.topic, $1.key.group)
        }) {
            let labels = [
                ("topic", key.topic), ("consumer_group", key.group),
                ("is_system", String(Self.isSystem(topic: key.topic, group: key.group))),
                ("is_retry", String(MixAll.isRetryTopic(key.topic))),
            ]
            w.counter(
                "rocketmq_messages_out_total",
                help: "Total number of outgoing messages",
                labels: labels,
                value: out.messages
            )
            w.counter(
                "rocketmq_throughput_out_total",
                help: "Total traffic of outgoing messages",
                labels: labels,
                value: out.bytes
            )
        }
    }

    /// Connections by client language and version (consumers also by group and consume mode).
    private func writeClients(into w: inout ExpositionWriter) {
        struct ProducerAttr: Hashable { var language: String; var version: String }
        var producers: [ProducerAttr: Int64] = [:]
        for (_, channels) in producerManager.allGroups {
            for c in channels {
                producers[
                    ProducerAttr(
                        language: c.language.description.lowercased(),
                        version: MQVersion.versionDescription(c.version).lowercased()
                    ),
                    default: 0
                ] += 1
            }
        }
        for (attr, count) in producers.sorted(by: {
            ($0.key.language, $0.key.version) < ($1.key.language, $1.key.version)
        }) {
            w.gauge(
                "rocketmq_producer_connections",
                help: "Producer connections",
                labels: [("language", attr.language), ("version", attr.version), ("protocol_type", "remoting")],
                value: count
            )
        }
        struct ConsumerAttr: Hashable { var group: String; var language: String; var version: String; var mode: String }
        var consumers: [ConsumerAttr: Int64] = [:]
        for (group, info) in consumerManager.allGroups {
            let mode = info.consumeType == .consumeActively ? "pull" : "push"
            for c in info.channels.values {
                consumers[
                    ConsumerAttr(
                        group: group,
                        language: c.language.description.lowercased(),
                        version: MQVersion.versionDescription(c.version).lowercased(),
                        mode: mode
                    ),
                    default: 0
                ] += 1
            }
        }
        for (attr, count) in consumers.sorted(by: { ($0.key.group, $0.key.language) < ($1.key.group, $1.key.language) })
        {
            w.gauge(
                "rocketmq_consumer_connections",
                help: "Consumer connections",
                labels: [
                    ("consumer_group", attr.group), ("language", attr.language), ("version", attr.version),
                    ("consume_mode", attr.mode), ("protocol_type", "remoting"),
                    ("is_system", String(Self.isSystemGroup(attr.group))),
                ],
                value: count
            )
        }
    }

    private func writeLagAndEvents(_ incoming: [TopicInMetrics], into w: inout ExpositionWriter) {
        let lags = ConsumerLagCalculator(broker: self).calculate(pullOffsets: metrics.pullSnapshot.pullOffsets)
        for r in lags {
            let labels = [
                ("consumer_group", r.group), ("topic", r.topic), ("is_retry", String(r.isRetry)),
                ("is_system", String(Self.isSystem(topic: r.topic, group: r.group))),
            ]
            w.gauge("rocketmq_consumer_lag_messages", help: "Consumer lag messages", labels: labels, value: r.lag)
            w.gauge(
                "rocketmq_consumer_lag_latency",
                help: "Consumer lag time",
                labels: labels,
                value: r.lagLatencyMillis
            )
            w.gauge(
                "rocketmq_consumer_inflight_messages",
                help: "Consumer inflight messages",
                labels: labels,
                value: r.inflight
            )
            w.gauge("rocketmq_consumer_ready_messages", help: "Consumer ready messages", labels: labels, value: r.ready)
        }
        let resolved = metrics.resolvedHalfMessages
        // Half messages still waiting for their producer's verdict: prepared − committed − rolled back.
        for handle in incoming {
            let prepared = handle.messageCount(.transaction)
            guard prepared > 0 else { continue }
            w.gauge(
                "rocketmq_half_messages",
                help: "Half messages of all topics",
                labels: [("topic", handle.topic)],
                value: max(0, prepared - (resolved[handle.topic] ?? 0))
            )
        }
    }

    private func writeStats(into w: inout ExpositionWriter) {
        w.gauge("rocketmq_topic_number", help: "Active topic number", value: Int64(topicConfigManager.all.count))
        w.gauge(
            "rocketmq_consumer_group_number",
            help: "Active subscription group number",
            value: Int64(subscriptionGroupManager.wrapper.subscriptionGroupTable.count)
        )
        w.gauge("rocketmq_broker_permission", help: "Broker permission", value: Int64(config.brokerPermission))
        let storage = [("storage_type", "local"), ("storage_medium", "disk")]
        if let used = store.storageUsedBytes {
            w.gauge("rocketmq_storage_size", help: "Broker storage size", labels: storage, value: used)
        }
        w.gauge(
            "rocketmq_storage_flush_behind_bytes",
            help: "Broker flush behind bytes",
            labels: storage,
            value: store.flushBehindBytes
        )
        w.gauge(
            "rocketmq_storage_dispatch_behind_bytes",
            help: "Broker dispatch behind bytes",
            labels: storage,
            value: max(0, store.dispatchBehindBytes)
        )
    }

    /// Upstream `BrokerMetricsManager.isSystem`: a system topic or a `CID_RMQ_SYS_` group.
    static func isSystem(topic: String, group: String) -> Bool {
        TopicValidator.isSystemTopic(topic) || isSystemGroup(group)
    }

    static func isSystemGroup(_ group: String) -> Bool {
        group.lowercased().hasPrefix(MixAll.cidRMQSysPrefix.lowercased())
    }
}
