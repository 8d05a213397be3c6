//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQBroker
import RocketMQCommon
import RocketMQRemoting
import Synchronization
import Testing

/// HEART_BEAT (34), UNREGISTER_CLIENT (35), GET_CONSUMER_LIST_BY_GROUP (38), NOTIFY_CONSUMER_IDS_CHANGED (40),
/// CHECK_CLIENT_CONFIG (46), GET_CONSUMER_CONNECTION_LIST (203), GET_PRODUCER_CONNECTION_LIST (204).
@Suite("Broker client management")
struct BrokerClientManageTests {
    func consumerList(_ cluster: BrokerTestCluster, group: String) async throws -> RemotingCommand {
        try await cluster.invoke(.request(.getConsumerListByGroup,
                                          header: GetConsumerListByGroupRequestHeader(consumerGroup: group)))
    }

    func consumerIDs(_ cluster: BrokerTestCluster, group: String) async throws -> [String] {
        let r = try await consumerList(cluster, group: group)
        guard r.code == 0 else { return [] }
        return try GetConsumerListByGroupResponseBody(body: r.body).consumerIdList.sorted()
    }

    func allTopics(_ cluster: BrokerTestCluster) async throws -> [String: TopicConfig] {
        let r = try await cluster.invoke(.request(.getAllTopicConfig))
        return try TopicConfigSerializeWrapper(body: r.body).topicConfigTable
    }

    @Test("a Java-style heartbeat registers the group and creates its retry topic", .timeLimit(.minutes(1)))
    func javaHeartbeatRegistersGroup() async throws {
        try await BrokerTestCluster.with { cluster in
            let group = uniqueName("CG_JAVA")
            let topic = uniqueName("HB")
            let r = try await cluster.heartbeat(clientID: "127.0.0.1@java", consumers: [BrokerTestCluster.consumer(group, topic: topic)],
                                                producers: ["PG_JAVA"])
            #expect(r.code == 0, "\(r)")
            #expect(try await consumerIDs(cluster, group: group) == ["127.0.0.1@java"])
            let retry = try #require(try await allTopics(cluster)["%RETRY%\(group)"])
            #expect(retry.readQueueNums == 1)
            #expect(retry.perm == 6)
        }
    }

    @Test("a C++-style heartbeat (enum ordinals, subVersion as a string) registers the group", .timeLimit(.minutes(1)))
    func cppHeartbeatRegistersGroup() async throws {
        try await BrokerTestCluster.with { cluster in
            let group = uniqueName("CG_CPP")
            let topic = uniqueName("HBC")
            let json = """
                {"clientID":"127.0.0.1@cpp","consumerDataSet":[{"consumeFromWhere":0,"consumeType":1,"groupName":"\(group)",\
                "messageModel":1,"subscriptionDataSet":[{"classFilterMode":false,"codeSet":[],"expressionType":"TAG",\
                "subString":"TagA || TagB","subVersion":"1700000000000","tagsSet":["TagA","TagB"],"topic":"\(topic)"}],\
                "unitMode":false}],"producerDataSet":[]}
                """
            let r = try await cluster.invoke(.request(.heartBeat, body: ByteBuffer(string: json)))
            #expect(r.code == 0, "\(r)")
            #expect(try await consumerIDs(cluster, group: group) == ["127.0.0.1@cpp"])
            #expect(try await allTopics(cluster)["%RETRY%\(group)"] != nil)

            let conn = try await cluster.invoke(.request(.getConsumerConnectionList,
                                                         header: GetConsumerConnectionListRequestHeader(consumerGroup: group)))
            #expect(conn.code == 0, "\(conn)")
            let cc = try ConsumerConnection(body: conn.body)
            #expect(cc.connectionSet.map(\.clientID) == ["127.0.0.1@cpp"])
            #expect(cc.consumeType == .consumePassively)
            #expect(cc.messageModel == .clustering)
            let sub = try #require(cc.subscriptionTable[topic])
            #expect(sub.subVersion == 1_700_000_000_000)
            #expect(sub.tagsSet == ["TagA", "TagB"])
        }
    }

    @Test("a second member makes the broker notify the first; unregister and disconnect remove members",
          .timeLimit(.minutes(1)))
    func membershipChanges() async throws {
        try await BrokerTestCluster.with { cluster in
            let group = uniqueName("CG_NOTIFY")
            let topic = uniqueName("N")
            let notified = NoticeLog()
            var table = ProcessorTable()
            try table.register(ClosureProcessor { request, _ in
                if let h = try? request.decodeHeader(NotifyConsumerIdsChangedRequestHeader.self) {
                    notified.append(h.consumerGroup)
                }
                return nil
            }, for: .notifyConsumerIdsChanged, lane: ExecutionLane(name: "client", capacity: 100))
            let first = cluster.makeClient(processors: table)
            let second = cluster.makeClient()
            let third = cluster.makeClient()

            try await cluster.heartbeat(clientID: "c1", consumers: [BrokerTestCluster.consumer(group, topic: topic)], via: first)
            #expect(try await consumerIDs(cluster, group: group) == ["c1"])
            notified.removeAll()
            try await cluster.heartbeat(clientID: "c2", consumers: [BrokerTestCluster.consumer(group, topic: topic)], via: second)
            #expect(try await consumerIDs(cluster, group: group) == ["c1", "c2"])
            let gotNotice = await eventually { notified.contains(group) }
            #expect(gotNotice, "the first consumer was not sent NOTIFY_CONSUMER_IDS_CHANGED")

            // UNREGISTER_CLIENT removes c2.
            let un = try await cluster.invoke(.request(.unregisterClient,
                                                       header: UnregisterClientRequestHeader(clientID: "c2", consumerGroup: group)),
                                              via: second)
            #expect(un.code == 0, "\(un)")
            #expect(try await consumerIDs(cluster, group: group) == ["c1"])

            // Closing a connection removes its member.
            try await cluster.heartbeat(clientID: "c3", consumers: [BrokerTestCluster.consumer(group, topic: topic)], via: third)
            #expect(try await consumerIDs(cluster, group: group) == ["c1", "c3"])
            await third.shutdown()
            let gone = try await eventually { try await consumerIDs(cluster, group: group) == ["c1"] }
            #expect(gone, "c3 still listed after its connection closed")

            await first.shutdown()
            let empty = try await eventually { try await consumerList(cluster, group: group).code == 1 }
            #expect(empty)
            await second.shutdown()
        }
    }

    @Test("a group's subscription is replaced only by a newer subVersion, so mixed members do not flip it",
          .timeLimit(.minutes(1)))
    func subscriptionVersionRules() async throws {
        try await BrokerTestCluster.with { cluster in
            let group = uniqueName("CG_SUBVER")
            let topic = uniqueName("SubVer")
            let other = uniqueName("SubVerOther")
            try await cluster.createTopic(topic, queues: 1)
            try await cluster.createTopic(other, queues: 1)
            func consumer(_ subString: String, version: Int64, topic: String) -> ConsumerData {
                var sub = SubscriptionData.build(topic: topic, subString: subString)
                sub.subVersion = version
                return ConsumerData(groupName: group, consumeType: .consumePassively, messageModel: .clustering,
                                    consumeFromWhere: .consumeFromFirstOffset, subscriptionDataSet: [sub])
            }
            func registered(_ topic: String) async throws -> SubscriptionData? {
                let r = try await cluster.invoke(.request(.getConsumerConnectionList,
                                                          header: GetConsumerConnectionListRequestHeader(consumerGroup: group)))
                return try ConsumerConnection(body: r.body).subscriptionTable[topic]
            }
            let notices = NoticeLog()
            var table = ProcessorTable()
            try table.register(ClosureProcessor { _, _ in
                notices.append(group)
                return nil
            }, for: .notifyConsumerIdsChanged, lane: ExecutionLane(name: "client", capacity: 100))
            let newer = cluster.makeClient(processors: table)
            let older = cluster.makeClient()

            try await cluster.heartbeat(clientID: "newer", consumers: [consumer("TagA", version: 2000, topic: topic)], via: newer)
            try await cluster.heartbeat(clientID: "older", consumers: [consumer("TagB", version: 1000, topic: topic)], via: older)
            // Each arrival notifies the members present (the first one included).
            #expect(await eventually { notices.count == 2 }, "arrivals notified \(notices.count) times")
            notices.removeAll()
            #expect(try await registered(topic)?.subString == "TagA", "an older subVersion replaced a newer one")

            // Further heartbeats of both members change nothing and notify nobody.
            for _ in 0..<2 {
                try await cluster.heartbeat(clientID: "newer", consumers: [consumer("TagA", version: 2000, topic: topic)], via: newer)
                try await cluster.heartbeat(clientID: "older", consumers: [consumer("TagB", version: 1000, topic: topic)], via: older)
            }
            #expect(try await registered(topic)?.subString == "TagA")
            let noisy = await eventually(within: .milliseconds(300)) { notices.count > 0 }
            #expect(noisy == false, "heartbeats without a membership change sent \(notices.count) notifications")

            // A newer subVersion wins; a topic missing from the latest heartbeat is dropped.
            try await cluster.heartbeat(clientID: "older", consumers: [consumer("TagC", version: 3000, topic: topic)], via: older)
            #expect(try await registered(topic)?.subString == "TagC")
            try await cluster.heartbeat(clientID: "older", consumers: [consumer("*", version: 4000, topic: other)], via: older)
            #expect(try await registered(topic) == nil)
            #expect(try await registered(other)?.subString == "*")
            await newer.shutdown()
            await older.shutdown()
        }
    }

    @Test("refusals: 38 for an unknown group, 203 for an offline group, 204 for an unknown producer group",
          .timeLimit(.minutes(1)))
    func unknownGroups() async throws {
        try await BrokerTestCluster.with { cluster in
            let group = uniqueName("Nobody")
            let r = try await consumerList(cluster, group: group)
            #expect(r.code == 1, "\(r)")
            #expect(r.remark?.contains("no consumer for this group") == true)

            let conn = try await cluster.invoke(.request(.getConsumerConnectionList,
                                                         header: GetConsumerConnectionListRequestHeader(consumerGroup: group)))
            #expect(conn.code == 206, "\(conn)")
            #expect(conn.remark?.contains("not online") == true)

            let prod = try await cluster.invoke(.request(.getProducerConnectionList,
                                                         header: GetProducerConnectionListRequestHeader(producerGroup: group)))
            #expect(prod.code == 1, "\(prod)")
            #expect(prod.remark?.contains("not exist") == true)
        }
    }

    @Test("GET_PRODUCER_CONNECTION_LIST lists a producer registered by heartbeat", .timeLimit(.minutes(1)))
    func producerConnections() async throws {
        try await BrokerTestCluster.with { cluster in
            let group = uniqueName("PG")
            try await cluster.heartbeat(clientID: "127.0.0.1@producer", producers: [group])
            let r = try await cluster.invoke(.request(.getProducerConnectionList,
                                                      header: GetProducerConnectionListRequestHeader(producerGroup: group)))
            #expect(r.code == 0, "\(r)")
            let pc = try ProducerConnection(body: r.body)
            #expect(pc.connectionSet.map(\.clientID) == ["127.0.0.1@producer"])
            #expect(pc.connectionSet.first?.language == "JAVA")
            #expect(pc.connectionSet.first?.clientAddr.hasPrefix("127.0.0.1:") == true)

            let un = try await cluster.invoke(.request(.unregisterClient, header: UnregisterClientRequestHeader(
                clientID: "127.0.0.1@producer", producerGroup: group)))
            #expect(un.code == 0, "\(un)")
            let gone = try await cluster.invoke(.request(.getProducerConnectionList,
                                                         header: GetProducerConnectionListRequestHeader(producerGroup: group)))
            #expect(gone.code == 1, "\(gone)")
        }
    }

    @Test("CHECK_CLIENT_CONFIG refuses SQL92 when property filtering is disabled", .timeLimit(.minutes(1)))
    func checkClientConfig() async throws {
        try await BrokerTestCluster.with { cluster in
            func check(_ type: String, _ expression: String) async throws -> RemotingCommand {
                let sub = SubscriptionData(topic: "T", subString: expression, expressionType: type)
                let json = JSONValue.object([("clientId", .string("c1")), ("group", .string("G")),
                                             ("subscriptionData", sub.toJSON())])
                return try await cluster.invoke(.request(.checkClientConfig, body: ByteBuffer(bytes: JSONWriter.bytes(json))))
            }
            let sql = try await check("SQL92", "a > 1")
            #expect(sql.code == 1, "\(sql)")
            #expect(sql.remark?.contains("The broker does not support consumer to filter message by SQL92") == true)
            let tag = try await check("TAG", "TagA")
            #expect(tag.code == 0, "\(tag)")
        }
    }

    @Test("a heartbeat with an SQL92 subscription is refused when property filtering is disabled",
          .timeLimit(.minutes(1)))
    func sqlHeartbeatRefused() async throws {
        try await BrokerTestCluster.with { cluster in
            let group = uniqueName("CG_SQL")
            let r = try await cluster.heartbeat(clientID: "sql", consumers: [
                BrokerTestCluster.consumer(group, topic: "T", subString: "a > 1", type: "SQL92"),
            ])
            #expect(r.code == 1, "\(r)")
            #expect(r.remark?.contains("SQL92") == true)
        }
    }
}

/// Groups named by NOTIFY_CONSUMER_IDS_CHANGED requests a client received.
final class NoticeLog: Sendable {
    private let groups = Mutex<[String]>([])
    func append(_ group: String) { groups.withLock { $0.append(group) } }
    func removeAll() { groups.withLock { $0.removeAll() } }
    func contains(_ group: String) -> Bool { groups.withLock { $0.contains(group) } }
    var count: Int { groups.withLock { $0.count } }
}
