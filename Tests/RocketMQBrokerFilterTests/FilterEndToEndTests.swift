//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import KeyPrefixFilterPlugin
import Logging
import NIOCore
import NIOPosix
import RocketMQBroker
import RocketMQClient
import RocketMQCommon
import RocketMQCompression
import RocketMQNamesrv
import RocketMQRemoting
import RocketMQStore
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A name server and a broker in-process on 127.0.0.1 with ephemeral ports.
struct FilterTestCluster {
    let namesrv: NamesrvController
    let broker: BrokerController
    let namesrvAddr: String
    let brokerAddr: String
    let dir: String

    static func start(enablePropertyFilter: Bool, plugins: [any BrokerPlugin] = [KeyPrefixFilterPlugin()]) async throws
        -> FilterTestCluster
    {
        let dir = "/tmp/rmq-filter-e2e-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        try FileIO.makeDirectories(dir)
        let logger = Logger(label: "filter-e2e")
        var ns = NamesrvConfig()
        ns.listenPort = 0
        ns.kvConfigPath = dir + "/kv.json"
        let namesrv = try NamesrvController(config: ns, logger: logger, decompress: { try ZlibCompressor().decompress($0) })
        let nsPort = try await namesrv.start()
        var config = BrokerConfig()
        config.listenPort = 0
        config.brokerIP1 = "127.0.0.1"
        config.brokerName = "broker-filter"
        config.namesrvAddr = "127.0.0.1:\(nsPort)"
        config.enablePropertyFilter = enablePropertyFilter
        config.store = MessageStoreConfig(storePathRootDir: dir + "/store")
        config.store.mappedFileSizeCommitLog = 4 * 1024 * 1024
        config.store.maxHashSlotNum = 1000
        config.store.maxIndexNum = 4000
        let broker = try BrokerController(config: config, plugins: plugins, logger: logger)
        let port = try await broker.start()
        return FilterTestCluster(namesrv: namesrv, broker: broker, namesrvAddr: "127.0.0.1:\(nsPort)",
                                 brokerAddr: "127.0.0.1:\(port)", dir: dir)
    }

    func stop() async {
        await broker.shutdown()
        await namesrv.shutdown()
    }

    func clientConfig(_ name: String) -> ClientConfig {
        var c = ClientConfig(namesrvAddr: namesrvAddr, clientIP: "127.0.0.1", instanceName: name)
        c.rebalanceInterval = .milliseconds(500)
        c.heartbeatBrokerInterval = .seconds(1)
        c.persistConsumerOffsetInterval = .milliseconds(500)
        c.pollNameServerInterval = .seconds(1)
        return c
    }
}

/// Collects what a push consumer receives.
final class Received: Sendable {
    private let messages = Mutex<[MessageExt]>([])
    func add(_ batch: [MessageExt]) { messages.withLock { $0.append(contentsOf: batch) } }
    var all: [MessageExt] { messages.withLock { $0 } }

    /// Waits until `count` messages arrived, or the deadline passes.
    func wait(count: Int, seconds: Double) async -> [MessageExt] {
        let deadline = Clock.millis() + Int64(seconds * 1000)
        while all.count < count && Clock.millis() < deadline { try? await Task.sleep(nanoseconds: 20_000_000) }
        return all
    }
}

@Suite("Broker filtering end to end", .serialized)
struct FilterEndToEndTests {
    func produce(_ cluster: FilterTestCluster, topic: String, _ messages: [Message]) async throws {
        let producer = DefaultMQProducer(producerGroup: "PG_\(topic)", clientConfig: cluster.clientConfig("p-\(topic)"))
        try await producer.start()
        for m in messages { _ = try await producer.send(m) }
        await producer.shutdown()
    }

    /// Consumes until `expect` messages arrived, then proves nothing else is coming: `marker(queueID)` (a message
    /// the selector matches) is sent to every queue, and once every marker is in, anything the filter let through
    /// earlier in any queue would have been delivered before it. Returns what arrived, markers left out.
    func consume(_ cluster: FilterTestCluster, topic: String, selector: MessageSelector, expect: Int,
                 marker: (Int32) -> Message) async throws -> [MessageExt]
    {
        let consumer = DefaultMQPushConsumer(consumerGroup: "CG_\(topic)_\(selector.expressionType)",
                                             clientConfig: cluster.clientConfig("c-\(topic)"))
        consumer.consumeFromWhere = .consumeFromFirstOffset
        try consumer.subscribe(topic, selector: selector)
        let received = Received()
        consumer.registerMessageListener(concurrently: { msgs, _ in
            received.add(msgs)
            return .consumeSuccess
        })
        try await consumer.start()
        _ = await received.wait(count: expect, seconds: 20)
        let producer = DefaultMQProducer(producerGroup: "PG_\(topic)_marker", clientConfig: cluster.clientConfig("m-\(topic)"))
        try await producer.start()
        let queues = try await producer.fetchPublishMessageQueues(topic)
        for queue in queues {
            var m = marker(queue.queueID)
            m.putUserProperty("marker", "true")
            _ = try await producer.send(m, to: queue)
        }
        await producer.shutdown()
        let all = await received.wait(count: expect + queues.count, seconds: 20)
        await consumer.shutdown()
        let markers = all.filter { $0.properties["marker"] == "true" }
        #expect(Set(markers.map(\.queueID)) == Set(queues.map(\.queueID)), "markers missing")
        return all.filter { $0.properties["marker"] != "true" }
    }

    /// The seed's example (004 §2.5): `age >= 20 AND sex = '女'` delivers exactly the matching messages.
    @Test(.timeLimit(.minutes(1)))
    func sql92DeliversExactlyMatching() async throws {
        let cluster = try await FilterTestCluster.start(enablePropertyFilter: true)
        let topic = "SqlFilterTopic"
        var messages: [Message] = []
        var expected: Set<String> = []
        for i in 0..<40 {
            var m = Message(topic: topic, tags: "TagA", body: "msg-\(i)")
            let age = 10 + i
            let sex = i % 3 == 0 ? "女" : "男"
            m.putUserProperty("age", String(age))
            m.putUserProperty("sex", sex)
            if i % 7 == 0 { m.properties.removeValue(forKey: "age") }  // unknown → not delivered
            messages.append(m)
            if i % 7 != 0 && age >= 20 && sex == "女" { expected.insert("msg-\(i)") }
        }
        try await produce(cluster, topic: topic, messages)
        let got = try await consume(cluster, topic: topic, selector: .bySQL("age >= 20 AND sex = '女'"),
                                    expect: expected.count) { queueID in
            var m = Message(topic: topic, tags: "TagA", body: "marker-\(queueID)")
            m.putUserProperty("age", "99")
            m.putUserProperty("sex", "女")
            return m
        }
        #expect(Set(got.map(\.bodyString)) == expected)
        #expect(got.count == expected.count)
        await cluster.stop()
    }

    /// With `enablePropertyFilter=false` an SQL92 pull is refused with upstream's message.
    @Test(.timeLimit(.minutes(1)))
    func sql92RefusedWhenDisabled() async throws {
        let cluster = try await FilterTestCluster.start(enablePropertyFilter: false)
        let client = RemotingClient(group: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "raw"))
        let header = PullMessageRequestHeader(
            consumerGroup: "CG_SQL_OFF", topic: TopicValidator.rmqSysSelfTestTopic, queueID: 0, queueOffset: 0, maxMsgNums: 32,
            sysFlag: PullSysFlag.build(commitOffset: false, suspend: false, subscription: true), commitOffset: 0,
            suspendTimeoutMillis: 0, subscription: "age > 1", subVersion: 1, expressionType: "SQL92")
        let response = try await client.invoke(cluster.brokerAddr, .request(.pullMessage, header: header))
        #expect(response.code == ResponseCode.systemError.rawValue)
        #expect(response.remark == "The broker does not support consumer to filter message by SQL92")
        // The Java client's pre-check (CHECK_CLIENT_CONFIG) is refused the same way.
        let sub = SubscriptionData.build(topic: "T", subString: "age > 1", type: "SQL92")
        let body = JSONValue.object([("clientId", .string("c")), ("group", .string("g")), ("subscriptionData", sub.json)])
        let check = try await client.invoke(cluster.brokerAddr,
                                            .request(.checkClientConfig, body: ByteBuffer(bytes: JSONWriter.bytes(body))))
        #expect(check.code == ResponseCode.systemError.rawValue)
        #expect(check.remark?.contains("SQL92") == true)
        await client.shutdown()
        await cluster.stop()
    }

    /// A malformed SQL92 expression is refused with SUBSCRIPTION_PARSE_FAILED naming the position.
    @Test(.timeLimit(.minutes(1)))
    func malformedExpressionIsRefused() async throws {
        let cluster = try await FilterTestCluster.start(enablePropertyFilter: true)
        let client = RemotingClient(group: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "raw"))
        let header = PullMessageRequestHeader(
            consumerGroup: "CG_SQL_BAD", topic: TopicValidator.rmqSysSelfTestTopic, queueID: 0, queueOffset: 0, maxMsgNums: 32,
            sysFlag: PullSysFlag.build(commitOffset: false, suspend: false, subscription: true), commitOffset: 0,
            suspendTimeoutMillis: 0, subscription: "age >= AND", subVersion: 1, expressionType: "SQL92")
        let response = try await client.invoke(cluster.brokerAddr, .request(.pullMessage, header: header))
        #expect(response.code == ResponseCode.subscriptionParseFailed.rawValue)
        #expect(response.remark?.contains("column") == true || response.remark?.contains("position") == true
                || response.remark?.contains("offset") == true)
        await client.shutdown()
        await cluster.stop()
    }

    /// A user filter plugin (expression type KEY_PREFIX) registered by the broker's plugin list.
    @Test(.timeLimit(.minutes(1)))
    func customFilterPluginFiltersByKeyPrefix() async throws {
        let cluster = try await FilterTestCluster.start(enablePropertyFilter: false)
        #expect(cluster.broker.filterRegistry.factory(for: "KEY_PREFIX") != nil)
        let topic = "KeyPrefixTopic"
        var messages: [Message] = []
        for i in 0..<30 {
            let region = ["eu", "us", "ap"][i % 3]
            messages.append(Message(topic: topic, tags: "T", keys: "\(region)-order-\(i) extra-\(i)", body: "order-\(i)"))
        }
        try await produce(cluster, topic: topic, messages)
        let got = try await consume(cluster, topic: topic,
                                    selector: MessageSelector(expressionType: "KEY_PREFIX", expression: "eu-"), expect: 10) {
            Message(topic: topic, tags: "T", keys: "eu-marker-\($0)", body: "marker-\($0)")
        }
        #expect(Set(got.map(\.bodyString)) == Set((0..<30).filter { $0 % 3 == 0 }.map { "order-\($0)" }))
        #expect(got.count == 10)
        await cluster.stop()
    }

    /// Two plugins contributing the same expression type make start-up fail loudly.
    @Test(.timeLimit(.minutes(1)))
    func duplicateFilterTypeFailsStartup() async throws {
        var config = BrokerConfig()
        config.store = MessageStoreConfig(storePathRootDir: "/tmp/rmq-filter-dup-\(getpid())")
        struct Again: BrokerPlugin {
            let name = "again"
            func load(into e: inout BrokerExtensions, context: BrokerPluginContext) throws {
                e.filterFactories.append(KeyPrefixFilterFactory())
            }
        }
        #expect(throws: (any Error).self) {
            _ = try BrokerController(config: config, plugins: [KeyPrefixFilterPlugin(), Again()], logger: Logger(label: "dup"))
        }
    }
}
