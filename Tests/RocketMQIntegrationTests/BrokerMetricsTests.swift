//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Foundation
import Logging
import RocketMQBroker
import RocketMQClient
import RocketMQCommon
import RocketMQCompression
import RocketMQNamesrv
import RocketMQRemoting
import RocketMQStore
import RocketMQTestSupport
import Testing

/// `metricsExporterType=PROM`: a real broker and name server on 127.0.0.1, our client sending and
/// consuming over TCP, and `GET /metrics` read with a raw socket. Values are asserted exactly.
@Suite("Broker metrics: Prometheus exporter", .timeLimit(.minutes(1)))
struct BrokerMetricsTests {
    static func promCluster(_ name: String = #function) async throws -> ClientTestCluster {
        try await ClientTestCluster.start(name) { c in
            c.metricsExporterType = "PROM"
            c.metricsPromExporterHost = "127.0.0.1"
            c.metricsPromExporterPort = 0
            c.metricsLabel = "env:it"
        }
    }

    @Test("send N, consume N: in/out counts and bytes, lag N then 0, rpc latency, gauges, labels")
    func sendConsumeScrape() async throws {
        let cluster = try await Self.promCluster()
        let port = try #require(cluster.broker.metricsPort)
        let topic = cluster.unique("MetricsT")
        let group = cluster.unique("metrics_cg")
        let n = 24

        let before = try await MetricsScrape.fetch(port: port)
        #expect(before.status == 200)
        #expect(before.contentType == "text/plain; version=0.0.4; charset=utf-8")
        let topicsBefore = try #require(before.value("rocketmq_topic_number"))
        #expect(Int(topicsBefore) == cluster.broker.topicConfigManager.all.count)
        try await cluster.createTopic(topic, queues: 4)
        #expect(try await MetricsScrape.fetch(port: port).value("rocketmq_topic_number") == topicsBefore + 1)

        // The group has joined (offset 0 on every queue) but consumed nothing yet.
        for q in Int32(0)..<4 {
            cluster.broker.consumerOffsetManager.commitOffset(group: group, topic: topic, queueID: q, offset: 0)
        }
        let producer = try await cluster.startedProducer()
        for i in 0..<n {
            let result = try await producer.send(
                Message(topic: topic, body: Array(String(repeating: "m\(i % 10)", count: 100).utf8))
            )
            #expect(result.sendStatus == .sendOK)
        }

        let lagLabels = ["consumer_group": group, "topic": topic, "is_retry": "false", "is_system": "false"]
        // Counting is synchronous; the consume queues (hence lag) follow the commit log by a dispatch.
        #expect(
            await clientEventually(.seconds(10)) {
                (try? await MetricsScrape.fetch(port: port).value("rocketmq_consumer_lag_messages", lagLabels))
                    == Double(n)
            }
        )
        let sent = try await MetricsScrape.fetch(port: port)
        let inLabels = [
            "topic": topic, "message_type": "normal", "is_system": "false", "cluster": "DefaultCluster",
            "node_type": "broker", "node_id": "broker-it", "env": "it",
        ]
        #expect(sent.value("rocketmq_messages_in_total", inLabels) == Double(n))
        #expect(sent.value("rocketmq_message_size_count", inLabels) == Double(n))
        // 200-byte bodies: each stored record (body, properties, fixed fields) stays under 1 KiB.
        #expect(sent.value("rocketmq_message_size_bucket", inLabels.merging(["le": "1024"]) { $1 }) == Double(n))
        #expect(sent.value("rocketmq_consumer_lag_messages", lagLabels) == Double(n))
        #expect(sent.value("rocketmq_consumer_ready_messages", lagLabels) == Double(n))
        #expect(sent.value("rocketmq_consumer_inflight_messages", lagLabels) == 0)
        #expect((sent.value("rocketmq_consumer_lag_latency", lagLabels) ?? -1) >= 0)
        let sendLatency = ["request_code": "send_message_v2", "response_code": "success", "protocol_type": "remoting"]
        #expect((sent.value("rocketmq_rpc_latency_count", sendLatency) ?? 0) >= Double(n))
        #expect(
            sent.value("rocketmq_rpc_latency_bucket", sendLatency.merging(["le": "+Inf"]) { $1 })
                == sent.value("rocketmq_rpc_latency_count", sendLatency)
        )
        #expect((sent.values("rocketmq_producer_connections").reduce(0, +)) >= 1)

        let received = ClientReceived()
        let consumer = cluster.pushConsumer(group)
        try consumer.subscribe(topic, "*")
        consumer.registerMessageListener(concurrently: { messages, _ in
            received.add(messages)
            return .consumeSuccess
        })
        try await consumer.start()
        #expect(await clientEventually(.seconds(20)) { received.count >= n })
        // Offsets reach the broker on the client's persist interval (300 ms here).
        let drained = await clientEventually(.seconds(20)) {
            (try? await MetricsScrape.fetch(port: port).value("rocketmq_consumer_lag_messages", lagLabels)) == 0
        }
        #expect(drained)
        let consumed = try await MetricsScrape.fetch(port: port)
        if let dump = ProcessInfo.processInfo.environment["ROCKETMQ_METRICS_DUMP"] {  // a sample for the README
            try consumed.body.write(toFile: dump, atomically: true, encoding: .utf8)
        }
        let storedBytes = Double(received.all.reduce(0) { $0 + Int($1.storeSize) })
        #expect(received.distinctIDs.count == n)
        #expect(consumed.value("rocketmq_throughput_in_total", inLabels) == storedBytes)
        #expect(consumed.value("rocketmq_message_size_sum", inLabels) == storedBytes)
        let outLabels = [
            "topic": topic, "consumer_group": group, "is_retry": "false", "is_system": "false", "env": "it",
        ]
        #expect(consumed.value("rocketmq_messages_out_total", outLabels) == Double(n))
        #expect(consumed.value("rocketmq_throughput_out_total", outLabels) == storedBytes)
        #expect(consumed.value("rocketmq_consumer_lag_latency", lagLabels) == 0)
        #expect(consumed.value("rocketmq_consumer_inflight_messages", lagLabels) == 0)
        #expect(consumed.value("rocketmq_consumer_ready_messages", lagLabels) == 0)
        #expect(
            consumed.value("rocketmq_consumer_connections", ["consumer_group": group, "consume_mode": "push"]) == 1
        )
        #expect(
            (consumed.value("rocketmq_rpc_latency_count", ["request_code": "pull_message", "response_code": "success"])
                ?? 0) >= 1
        )
        #expect(
            (consumed.value("rocketmq_storage_size", ["storage_type": "local", "storage_medium": "disk"]) ?? 0) > 0
        )
        #expect(consumed.value("rocketmq_storage_dispatch_behind_bytes") != nil)
        #expect(consumed.value("rocketmq_storage_flush_behind_bytes") != nil)
        #expect((consumed.value("rocketmq_consumer_group_number") ?? 0) >= 1)
        // Every sample carries the common labels.
        #expect(
            consumed.samples.allSatisfy {
                $0.labels["node_type"] == "broker" && $0.labels["cluster"] == "DefaultCluster"
            }
        )

        #expect(try await MetricsScrape.fetch(port: port, path: "/other").status == 404)
        #expect(try await MetricsScrape.fetch(port: port, method: "POST").status == 405)
        await consumer.shutdown()
        await producer.shutdown()

        // Deleting the topic removes its series and lowers the topic count.
        let admin = MQAdmin(clientConfig: cluster.clientConfig())
        try await admin.start()
        try await admin.deleteTopic(topic, clusterName: "DefaultCluster")
        await admin.shutdown()
        let deleted = try await MetricsScrape.fetch(port: port)
        // Before + the consumer's %RETRY% topic (the deleted one is gone).
        #expect(cluster.broker.topicConfigManager.select(topic) == nil)
        #expect(deleted.value("rocketmq_topic_number") == topicsBefore + 1)
        #expect(Int(deleted.value("rocketmq_topic_number") ?? 0) == cluster.broker.topicConfigManager.all.count)
        #expect(deleted.samples.allSatisfy { $0.labels["topic"] != topic })
        await cluster.shutdown()
        #expect(!isListening(port: port))
    }

    @Test("transactions: message_type=transaction in, commits, rollbacks, half messages; DLQ sends")
    func transactionsAndDLQ() async throws {
        let cluster = try await Self.promCluster()
        let port = try #require(cluster.broker.metricsPort)
        let topic = cluster.unique("MetricsTx")
        try await cluster.createTopic(topic, queues: 1)
        // No check-back within the test: the unknown transaction stays half.
        let listener = ClientScriptedTransactionListener(check: .unknow)
        let producer = ClientIntegrationTestsTransaction.producer(
            cluster,
            group: cluster.unique("txg"),
            listener: listener
        )
        try await producer.start()
        for body in ["commit-1", "commit-2", "rollback-1", "unknown-1"] {
            _ = try await producer.sendMessageInTransaction(Message(topic: topic, body: body))
        }
        // END_TRANSACTION is one-way: the broker finishes it after the producer has returned.
        #expect(
            await clientEventually(.seconds(10)) {
                let s = try? await MetricsScrape.fetch(port: port)
                return s?.value("rocketmq_commit_messages_total", ["topic": topic]) == 2
                    && s?.value("rocketmq_rollback_messages_total", ["topic": topic]) == 1
            }
        )
        let tx = try await MetricsScrape.fetch(port: port)
        #expect(tx.value("rocketmq_messages_in_total", ["topic": topic, "message_type": "transaction"]) == 4)
        #expect(tx.value("rocketmq_messages_in_total", ["topic": topic, "message_type": "normal"]) == nil)
        #expect(tx.value("rocketmq_commit_messages_total", ["topic": topic]) == 2)
        #expect(tx.value("rocketmq_rollback_messages_total", ["topic": topic]) == 1)
        #expect(tx.value("rocketmq_half_messages", ["topic": topic]) == 1)
        #expect(
            (tx.value("rocketmq_rpc_latency_count", ["request_code": "end_transaction"]) ?? 0) == 0,
            "END_TRANSACTION is one-way: no response, no latency sample"
        )
        await producer.shutdown()

        // A message that always fails goes to %DLQ%group after retryMaxTimes.
        let dlqTopic = cluster.unique("MetricsDlq")
        let group = cluster.unique("dlq_cg")
        try await cluster.createTopic(dlqTopic, queues: 1)
        let admin = MQAdmin(clientConfig: cluster.clientConfig())
        try await admin.start()
        var groupConfig = SubscriptionGroupConfig(groupName: group)
        groupConfig.retryMaxTimes = 1
        try await admin.updateSubscriptionGroup(brokerAddr: cluster.brokerAddr, config: groupConfig)
        let consumer = cluster.pushConsumer(group)
        consumer.maxReconsumeTimes = 1
        try consumer.subscribe(dlqTopic, "*")
        consumer.registerMessageListener(concurrently: { _, _ in .reconsumeLater })
        try await consumer.start()
        let sender = try await cluster.startedProducer()
        _ = try await sender.send(Message(topic: dlqTopic, body: "poison"))
        let dlqLabels = ["consumer_group": group, "topic": dlqTopic, "is_system": "false"]
        #expect(
            await clientEventually(.seconds(30)) {
                (try? await MetricsScrape.fetch(port: port).value("rocketmq_send_to_dlq_messages_total", dlqLabels))
                    == 1
            }
        )
        // Retries are not incoming traffic of the retry or DLQ topics (as upstream).
        let after = try await MetricsScrape.fetch(port: port)
        #expect(
            after.values("rocketmq_messages_in_total").count
                == after.samples.filter {
                    $0.name == "rocketmq_messages_in_total" && !($0.labels["topic"] ?? "").hasPrefix("%")
                }.count
        )
        await consumer.shutdown()
        await sender.shutdown()
        await admin.shutdown()
        await cluster.shutdown()
    }

    @Test("DISABLE (the default) opens no metrics port")
    func disabledNotListening() async throws {
        let port = try FreePort.allocate()
        let cluster = try await ClientTestCluster.start { c in
            c.metricsPromExporterHost = "127.0.0.1"
            c.metricsPromExporterPort = port
        }
        #expect(cluster.broker.config.metricsExporterType == "DISABLE")
        #expect(cluster.broker.metricsPort == nil)
        #expect(!cluster.broker.metrics.enabled)
        #expect(!isListening(port: port))
        await cluster.shutdown()
    }

    @Test("bad metrics config stops start-up naming the key")
    func badConfigNamesKey() async throws {
        var config = BrokerConfig()
        func key(_ pairs: [(key: String, value: String)]) -> String? {
            var c = BrokerConfig()
            do {
                _ = try BrokerConfig.binder.apply(pairs, to: &c)
                try c.validate()
                return nil
            } catch { return error.key }
        }
        #expect(key([("metricsExporterType", "PROMETHEUS")]) == "metricsExporterType")
        #expect(key([("metricsExporterType", "OTLP_GRPC")]) == "metricsExporterType")
        #expect(key([("metricsPromExporterPort", "70000")]) == "metricsPromExporterPort")
        #expect(key([("metricsPromExporterPort", "http")]) == "metricsPromExporterPort")
        #expect(key([("metricsLabel", "env=prod")]) == "metricsLabel")
        #expect(key([("metricsLabel", "9env:prod")]) == "metricsLabel")
        #expect(key([("metricsLabel", "topic:x")]) == "metricsLabel")
        #expect(key([("metricsLabel", "cluster:other")]) == "metricsLabel")
        #expect(key([("metricsExporterType", "PROM"), ("metricsLabel", "env:prod,region:eu")]) == nil)
        // Common labels: user pairs, upstream's delta marker, then the node's own.
        var labelled = BrokerConfig()
        labelled.brokerName = "b1"
        labelled.metricsLabel = "env:prod,region:eu"
        labelled.metricsInDelta = true
        let common = labelled.metricsCommonLabels().pairs.map { "\($0.0)=\($0.1)" }
        #expect(common == ["env=prod", "region=eu", "aggregation=delta", "node_type=broker",
                           "cluster=DefaultCluster", "node_id=b1"])
        config.metricsExporterType = "LOG"
        #expect(throws: ConfigError.self) { _ = try BrokerController(config: config, logger: Logger(label: "t")) }

        // A taken port fails start() and names the keys.
        let holder = try await ClientTestCluster.start { c in
            c.metricsExporterType = "PROM"
            c.metricsPromExporterHost = "127.0.0.1"
            c.metricsPromExporterPort = 0
        }
        let taken = try #require(holder.broker.metricsPort)
        do {
            let second = try await ClientTestCluster.start { c in
                c.metricsExporterType = "PROM"
                c.metricsPromExporterHost = "127.0.0.1"
                c.metricsPromExporterPort = taken
            }
            await second.shutdown()
            Issue.record("a second exporter on port \(taken) started")
        } catch {
            #expect("\(error)".contains("metricsPromExporterPort"), "\(error)")
        }
        await holder.shutdown()
    }

    @Test("name server PROM: broker count, topic count and rpc latency of REGISTER_BROKER")
    func namesrvMetrics() async throws {
        let root = try TemporaryDirectory()
        var ns = NamesrvConfig()
        ns.listenPort = 0
        ns.bindAddress = "127.0.0.1"
        ns.kvConfigPath = root.path + "/kv.json"
        ns.metricsExporterType = "PROM"
        ns.metricsPromExporterPort = 0
        let namesrv = try NamesrvController(
            config: ns,
            logger: ClientTestCluster.makeLogger("ns"),
            decompress: { try ZlibCompressor().decompress($0) }
        )
        let nsPort = try await namesrv.start()
        let port = try #require(namesrv.metricsPort)
        let empty = try await MetricsScrape.fetch(port: port)
        #expect(empty.value("rocketmq_namesrv_topic_number", ["node_type": "nameserver"]) == 0)
        #expect(empty.values("rocketmq_namesrv_broker_number").isEmpty)

        var config = BrokerConfig()
        config.listenPort = 0
        config.bindAddress = "127.0.0.1"
        config.brokerIP1 = "127.0.0.1"
        config.brokerName = "broker-ns-metrics"
        config.namesrvAddr = "127.0.0.1:\(nsPort)"
        config.store = MessageStoreConfig(storePathRootDir: root.path + "/store")
        config.store.mappedFileSizeCommitLog = 1024 * 1024
        let broker = try BrokerController(config: config, logger: ClientTestCluster.makeLogger("b"))
        try await broker.start()
        let scrape = try await MetricsScrape.fetch(port: port)
        #expect(scrape.value("rocketmq_namesrv_broker_number", ["cluster": "DefaultCluster"]) == 1)
        #expect(scrape.value("rocketmq_namesrv_topic_number") == Double(namesrv.routes.allTopics().count))
        #expect((scrape.value("rocketmq_namesrv_topic_number") ?? 0) > 0)
        #expect(
            (scrape.value(
                "rocketmq_rpc_latency_count",
                [
                    "request_code": "register_broker", "response_code": "success",
                    "node_type": "nameserver",
                ]
            ) ?? 0) >= 1
        )
        await broker.shutdown()
        await namesrv.shutdown()
        root.remove()
    }
}
