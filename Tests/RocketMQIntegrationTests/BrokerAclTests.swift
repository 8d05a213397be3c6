//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Foundation
import Logging
import NIOCore
import NIOPosix
import RocketMQAcl
import RocketMQBroker
import RocketMQClient
import RocketMQCommon
import RocketMQRemoting
import Testing

/// A broker with `aclEnable=true` over real TCP: our client signs with `ClientConfig.sessionCredentials`,
/// and each refusal is shown next to the same request succeeding with the right keys.
@Suite("Broker ACL over TCP", .timeLimit(.minutes(1)))
struct BrokerAclTests {
    static let adminKeys = SessionCredentials(accessKey: "adminUser", secretKey: "adminSecret")
    static let userKeys = SessionCredentials(accessKey: "pubSubUser", secretKey: "pubSubSecret")
    static let pubOnlyKeys = SessionCredentials(accessKey: "pubOnlyUser", secretKey: "pubOnlySecret")

    static let yml = """
        accounts:
          - accessKey: adminUser
            secretKey: adminSecret
            admin: true
          - accessKey: pubSubUser
            secretKey: pubSubSecret
            defaultTopicPerm: PUB|SUB
            defaultGroupPerm: SUB
          - accessKey: pubOnlyUser
            secretKey: pubOnlySecret
            defaultTopicPerm: PUB
            defaultGroupPerm: SUB
        """

    /// A cluster whose broker reads `yml` from `<home>/conf/plain_acl.yml`.
    static func aclCluster(_ name: String = #function) async throws -> (ClientTestCluster, String) {
        let home = NSTemporaryDirectory() + "rmq-acl-home-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home + "/conf", withIntermediateDirectories: true)
        try yml.write(toFile: home + "/conf/plain_acl.yml", atomically: true, encoding: .utf8)
        let cluster = try await ClientTestCluster.start(name) { config in
            config.aclEnable = true
            config.rocketmqHome = home
        }
        return (cluster, home)
    }

    static func config(_ cluster: ClientTestCluster, _ keys: SessionCredentials?) -> ClientConfig {
        var c = cluster.clientConfig()
        c.sessionCredentials = keys
        return c
    }

    /// Creates a topic as the admin account (an admin-only request code).
    static func createTopic(_ cluster: ClientTestCluster, _ topic: String, as keys: SessionCredentials) async throws {
        let admin = MQAdmin(clientConfig: config(cluster, keys), logger: ClientTestCluster.makeLogger("admin"))
        try await admin.start()
        defer { Task { await admin.shutdown() } }
        try await admin.createTopic(brokerAddr: cluster.brokerAddr, config: TopicConfig(
            topicName: topic, readQueueNums: 2, writeQueueNums: 2, perm: PermName.read | PermName.write))
        #expect(await clientEventually(.seconds(10)) { (try? await admin.topicRoute(topic))?.queueDatas.isEmpty == false })
    }

    /// One PULL_MESSAGE straight to the broker, signed with `keys` (nil = unsigned).
    static func rawPull(_ cluster: ClientTestCluster, topic: String, group: String, keys: SessionCredentials?) async throws
        -> RemotingCommand
    {
        let client = RemotingClient(group: MultiThreadedEventLoopGroup.singleton, logger: ClientTestCluster.makeLogger("raw"),
                                    rpcHook: keys.map { AclClientRPCHook(credentials: $0) })
        let header = PullMessageRequestHeader(consumerGroup: group, topic: topic, queueID: 0, queueOffset: 0, maxMsgNums: 32,
                                              sysFlag: 4 /* FLAG_SUBSCRIPTION */, commitOffset: 0, suspendTimeoutMillis: 0, subscription: "*",
                                              subVersion: 0, expressionType: "TAG")
        let response = try await client.invoke(cluster.brokerAddr, .request(.pullMessage, header: header))
        await client.shutdown()
        return response
    }

    /// Sends one message with `keys`; the broker's refusal, or nil when it was accepted (or failed otherwise).
    static func refusedSend(_ cluster: ClientTestCluster, topic: String, keys: SessionCredentials?) async -> MQBrokerError? {
        let bad = DefaultMQProducer(producerGroup: cluster.unique("pg"), clientConfig: config(cluster, keys),
                                    logger: ClientTestCluster.makeLogger("producer"))
        bad.retryTimesWhenSendFailed = 0
        defer { Task { await bad.shutdown() } }
        do {
            try await bad.start()
            _ = try await bad.send(Message(topic: topic, body: "refused"))
            return nil
        } catch {
            if case .broker(let broker) = error { return broker }
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    static func aclRemark(_ message: String) -> String { "org.apache.rocketmq.acl.common.AclException: " + message }

    @Test("right keys: send and consume; wrong secret and no keys refused with upstream's code and remark")
    func sendConsumeAndRefusals() async throws {
        let (cluster, home) = try await Self.aclCluster()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let topic = cluster.unique("AclTopic")
        let group = cluster.unique("cg")
        try await Self.createTopic(cluster, topic, as: Self.adminKeys)

        // Right keys: a signed producer and push consumer move messages end to end.
        let producer = DefaultMQProducer(producerGroup: cluster.unique("pg"), clientConfig: Self.config(cluster, Self.userKeys),
                                         logger: ClientTestCluster.makeLogger("producer"))
        try await producer.start()
        for i in 0..<10 { _ = try await producer.send(Message(topic: topic, body: "acl-\(i)")) }
        let received = ClientReceived()
        let consumer = DefaultMQPushConsumer(consumerGroup: group, clientConfig: Self.config(cluster, Self.userKeys),
                                             logger: ClientTestCluster.makeLogger("consumer"))
        consumer.consumeFromWhere = .consumeFromFirstOffset
        try consumer.subscribe(topic, "*")
        consumer.registerMessageListener(concurrently: { messages, _ in
            received.add(messages)
            return .consumeSuccess
        })
        try await consumer.start()
        #expect(await clientEventually(.seconds(20)) { received.bodies.count == 10 }, "received \(received.count)")
        #expect(received.bodies == Set((0..<10).map { "acl-\($0)" }))
        await consumer.shutdown()
        await producer.shutdown()

        // Wrong secret: the same send is refused; nothing is stored.
        for (keys, message) in [
            (SessionCredentials(accessKey: "pubSubUser", secretKey: "not-the-secret"), "Check signature failed for accessKey=pubSubUser"),
            (SessionCredentials(accessKey: "strangerKey", secretKey: "whatever1"), "No acl config for strangerKey"),
            (nil, "No accessKey is configured"),
        ] as [(SessionCredentials?, String)] {
            let broker = await Self.refusedSend(cluster, topic: topic, keys: keys)
            #expect(broker?.code == .systemError, "send with \(String(describing: keys))")
            #expect(broker?.remark == Self.aclRemark(message))
        }
        let stats = try await {
            let admin = MQAdmin(clientConfig: Self.config(cluster, Self.adminKeys), logger: ClientTestCluster.makeLogger("admin"))
            try await admin.start()
            let s = try await admin.topicStats(topic)
            await admin.shutdown()
            return s
        }()
        #expect(stats.offsetTable.values.reduce(0) { $0 + $1.maxOffset } == 10, "only the 10 signed messages are stored")
        await cluster.shutdown()
    }

    @Test("a PUB-only account can send but not pull; the PUB|SUB account pulls the same queue")
    func pubOnlyCannotConsume() async throws {
        let (cluster, home) = try await Self.aclCluster()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let topic = cluster.unique("AclPubOnly")
        try await Self.createTopic(cluster, topic, as: Self.adminKeys)
        let producer = DefaultMQProducer(producerGroup: cluster.unique("pg"), clientConfig: Self.config(cluster, Self.pubOnlyKeys),
                                         logger: ClientTestCluster.makeLogger("producer"))
        try await producer.start()
        for i in 0..<4 { _ = try await producer.send(Message(topic: topic, body: "p-\(i)"), to: MessageQueue(topic: topic, brokerName: cluster.brokerName, queueID: 0)) }
        await producer.shutdown()

        let refused = try await Self.rawPull(cluster, topic: topic, group: "cgPull", keys: Self.pubOnlyKeys)
        #expect(refused.responseCode == .systemError)
        #expect(refused.remark == Self.aclRemark("No default permission for topic:\(topic)"))
        let allowed = try await Self.rawPull(cluster, topic: topic, group: "cgPull", keys: Self.userKeys)
        #expect(allowed.responseCode == .success, "\(allowed.remark ?? "")")
        #expect(allowed.body.map(\.readableBytes) ?? 0 > 0)
        let unsigned = try await Self.rawPull(cluster, topic: topic, group: "cgPull", keys: nil)
        #expect(unsigned.remark == Self.aclRemark("No accessKey is configured"))
        await cluster.shutdown()
    }

    @Test("admin-only codes: refused for a non-admin account, done for the admin")
    func adminOnlyCommand() async throws {
        let (cluster, home) = try await Self.aclCluster()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let topic = cluster.unique("AclAdmin")
        let refusal: MQBrokerError? = await {
            do {
                try await Self.createTopic(cluster, topic, as: Self.userKeys)
                return nil
            } catch let error as ClientError {
                if case .broker(let broker) = error { return broker }
                return nil
            } catch { return nil }
        }()
        #expect(refusal?.code == .systemError, "a non-admin account must not create a topic")
        #expect(refusal?.remark == Self.aclRemark("Need admin permission for request code=17, but accessKey=pubSubUser is not"))
        try await Self.createTopic(cluster, topic, as: Self.adminKeys)
        // UPDATE_BROKER_CONFIG too.
        let user = MQAdmin(clientConfig: Self.config(cluster, Self.userKeys), logger: ClientTestCluster.makeLogger("admin"))
        try await user.start()
        await #expect(throws: ClientError.self) {
            try await user.updateBrokerConfig(brokerAddr: cluster.brokerAddr, properties: ["traceOn": "false"])
        }
        await user.shutdown()
        #expect(cluster.broker.config.traceOn == true)
        await cluster.shutdown()
    }
}
