//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQBroker
import RocketMQCommon
import RocketMQRemoting
import Testing

/// Topic and group administration (17, 21, 215, 200, 201, 207), broker config and runtime info (25, 26, 28),
/// queue locks (41, 42), QUERY_MESSAGE (12) and VIEW_MESSAGE_BY_ID (33), unknown codes.
@Suite("Broker admin")
struct BrokerAdminTests {
    func topics(_ cluster: BrokerTestCluster) async throws -> [String: TopicConfig] {
        let r = try await cluster.invoke(.request(.getAllTopicConfig))
        #expect(r.code == 0, "\(r)")
        return try TopicConfigSerializeWrapper(body: r.body).topicConfigTable
    }

    func groups(_ cluster: BrokerTestCluster) async throws -> [String: SubscriptionGroupConfig] {
        let r = try await cluster.invoke(.request(.getAllSubscriptionGroupConfig))
        #expect(r.code == 0, "\(r)")
        return try SubscriptionGroupWrapper(body: r.body).subscriptionGroupTable
    }

    @Test("a topic is created, listed with its queue counts and perm, then deleted", .timeLimit(.minutes(1)))
    func topicLifecycle() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("Admin")
            let create = try await cluster.invoke(.request(.updateAndCreateTopic, header: CreateTopicRequestHeader(
                topic: topic, defaultTopic: "TBW102", readQueueNums: 3, writeQueueNums: 2, perm: 4, topicFilterType: "MULTI_TAG")))
            #expect(create.code == 0, "\(create)")
            let listed = try #require(try await topics(cluster)[topic])
            #expect(listed.readQueueNums == 3)
            #expect(listed.writeQueueNums == 2)
            #expect(listed.perm == 4)
            #expect(listed.topicFilterType == "MULTI_TAG")

            // The name server learns it soon (registration runs in the background).
            let routed = try await eventually {
                try await cluster.client.invoke(cluster.namesrvAddr, .request(.getRouteInfoByTopic,
                                                                             header: GetRouteInfoRequestHeader(topic: topic))).code == 0
            }
            #expect(routed)

            let delete = try await cluster.invoke(.request(.deleteTopicInBroker, header: DeleteTopicRequestHeader(topic: topic)))
            #expect(delete.code == 0, "\(delete)")
            #expect(try await topics(cluster)[topic] == nil)
        }
    }

    @Test("system and illegal topic names are refused with 1", .timeLimit(.minutes(1)))
    func topicRefusals() async throws {
        try await BrokerTestCluster.with { cluster in
            // Upstream registers the cluster-name, broker-name and reply topics as system topics too.
            for name in ["SCHEDULE_TOPIC_XXXX", "RMQ_SYS_TRANS_HALF_TOPIC", "TBW102", "rmq_sys_anything", "DefaultCluster",
                         "broker-test", "DefaultCluster_REPLY_TOPIC", "bad name!"] {
                let r = try await cluster.invoke(.request(.updateAndCreateTopic, header: CreateTopicRequestHeader(
                    topic: name, defaultTopic: "TBW102", readQueueNums: 1, writeQueueNums: 1, perm: 6)))
                #expect(r.code == 1, "\(name): \(r)")
                #expect(r.remark?.isEmpty == false)
            }
            let r = try await cluster.invoke(.request(.updateAndCreateTopic, header: CreateTopicRequestHeader(
                topic: "SCHEDULE_TOPIC_XXXX", defaultTopic: "TBW102", readQueueNums: 1, writeQueueNums: 1, perm: 6)))
            #expect(r.remark?.contains("conflict with system topic") == true)
            #expect(try await topics(cluster)["SCHEDULE_TOPIC_XXXX"]?.readQueueNums == 18)

            for name in ["SCHEDULE_TOPIC_XXXX", "DefaultCluster", "broker-test", "DefaultCluster_REPLY_TOPIC"] {
                let delete = try await cluster.invoke(.request(.deleteTopicInBroker, header: DeleteTopicRequestHeader(topic: name)))
                #expect(delete.code == 1, "\(name): \(delete)")
                #expect(delete.remark?.contains("conflict with system topic") == true)
            }
            let all = try await topics(cluster)
            #expect(all["broker-test"]?.perm == PermName.inherit | PermName.read | PermName.write)
            #expect(all["DefaultCluster"] != nil)
            #expect(all["DefaultCluster_REPLY_TOPIC"] != nil)
        }
    }

    @Test("a subscription group round-trips; deleting an unknown group is 26", .timeLimit(.minutes(1)))
    func subscriptionGroupLifecycle() async throws {
        try await BrokerTestCluster.with { cluster in
            let name = uniqueName("Group")
            var config = SubscriptionGroupConfig(groupName: name)
            config.retryMaxTimes = 5
            config.retryQueueNums = 2
            config.consumeBroadcastEnable = false
            try await cluster.createGroup(config)
            let listed = try #require(try await groups(cluster)[name])
            #expect(listed == config)

            let delete = try await cluster.invoke(.request(.deleteSubscriptionGroup,
                                                           header: DeleteSubscriptionGroupRequestHeader(groupName: name)))
            #expect(delete.code == 0, "\(delete)")
            #expect(try await groups(cluster)[name] == nil)

            let again = try await cluster.invoke(.request(.deleteSubscriptionGroup,
                                                          header: DeleteSubscriptionGroupRequestHeader(groupName: name)))
            #expect(again.code == 26, "\(again)")
            #expect(again.remark?.contains(name) == true)
        }
    }

    @Test("GET_BROKER_RUNTIME_INFO answers a KVTable with the usual keys", .timeLimit(.minutes(1)))
    func runtimeInfo() async throws {
        try await BrokerTestCluster.with { cluster in
            try await cluster.sendOK(topic: "TBW102", body: "x")
            let r = try await cluster.invoke(.request(.getBrokerRuntimeInfo))
            #expect(r.code == 0, "\(r)")
            let table = try KVTable(body: r.body).table
            #expect(table["brokerVersionDesc"] == "V4_9_8")
            #expect(table["brokerAddr"] == cluster.broker.config.brokerAddr)
            #expect(table["brokerName"] == "broker-test")
            #expect(Int64(table["commitLogMaxOffset"] ?? "") ?? 0 > 0)
            #expect(table["commitLogMinOffset"] == "0")
            #expect(table["msgPutTotalTodayNow"] != nil)
        }
    }

    @Test("broker config: read, update a mutable key, refuse frozen and unknown keys", .timeLimit(.minutes(1)))
    func brokerConfig() async throws {
        try await BrokerTestCluster.with { cluster in
            func read() async throws -> [String: String] {
                let r = try await cluster.invoke(.request(.getBrokerConfig))
                #expect(r.code == 0, "\(r)")
                return Dictionary(PropertiesFile.parse(r.bodyString).map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
            }
            func update(_ text: String) async throws -> RemotingCommand {
                try await cluster.invoke(.request(.updateBrokerConfig, body: ByteBuffer(string: text)))
            }
            let before = try await read()
            #expect(before["brokerName"] == "broker-test")
            #expect(before["traceOn"] == "true")
            #expect(before["brokerClusterName"] == "DefaultCluster")

            let ok = try await update("traceOn=false\nregionId=TestRegion\n")
            #expect(ok.code == 0, "\(ok)")
            let after = try await read()
            #expect(after["traceOn"] == "false")
            #expect(after["regionId"] == "TestRegion")
            // The change is live: send responses now carry it.
            let send = try await cluster.send(topic: "TBW102", body: "x")
            #expect(send.extFields["TRACE_ON"] == "false")
            #expect(send.extFields["MSG_REGION"] == "TestRegion")

            // Permission changes are live too.
            #expect(try await update("brokerPermission=4\n").code == 0)
            #expect(try await cluster.send(topic: "TBW102", body: "x").code == 16)
            #expect(try await update("brokerPermission=6\n").code == 0)
            #expect(try await cluster.send(topic: "TBW102", body: "x").code == 0)

            let frozen = try await update("brokerName=other\n")
            #expect(frozen.code == 16, "\(frozen)")
            #expect(frozen.remark?.contains("brokerName") == true)

            let unknown = try await update("noSuchKey=1\n")
            #expect(unknown.code == 1, "\(unknown)")
            #expect(unknown.remark?.contains("noSuchKey") == true)

            let bad = try await update("maxMessageSize=big\n")
            #expect(bad.code == 1, "\(bad)")
            #expect(bad.remark?.contains("maxMessageSize") == true)
            #expect(try await read()["brokerName"] == "broker-test")
        }
    }

    @Test("a queue locked by one client cannot be locked by another until unlocked", .timeLimit(.minutes(1)))
    func batchLocks() async throws {
        try await BrokerTestCluster.with { cluster in
            let group = uniqueName("CG_ORDER")
            let topic = uniqueName("Ordered")
            let queues = (0..<2).map { MessageQueue(topic: topic, brokerName: cluster.brokerName, queueID: Int32($0)) }
            let a = cluster.makeClient()
            let b = cluster.makeClient()
            func lock(_ clientID: String, via client: RemotingClient) async throws -> [MessageQueue] {
                let body = LockBatchRequestBody(consumerGroup: group, clientID: clientID, mqSet: queues)
                let r = try await cluster.invoke(.request(.lockBatchMQ, body: body.encodedBody()), via: client)
                #expect(r.code == 0, "\(r)")
                return try LockBatchResponseBody(body: r.body).lockOKMQSet.sorted()
            }
            #expect(try await lock("A", via: a) == queues)
            #expect(try await lock("B", via: b) == [])
            #expect(try await lock("A", via: a) == queues, "re-locking by the holder renews")

            let unlock = try await cluster.invoke(.request(.unlockBatchMQ, body: LockBatchRequestBody(
                consumerGroup: group, clientID: "A", mqSet: [queues[0]]).encodedBody()), via: a)
            #expect(unlock.code == 0, "\(unlock)")
            #expect(try await lock("B", via: b) == [queues[0]])
            await a.shutdown()
            await b.shutdown()
        }
    }

    @Test("QUERY_MESSAGE by key and by unique key, VIEW_MESSAGE_BY_ID; misses are 22 and 1", .timeLimit(.minutes(1)))
    func queryAndView() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("Query")
            try await cluster.createTopic(topic, queues: 1)
            let properties = BrokerTestCluster.properties(tags: "TagQ", keys: "OrderA OrderB")
            let uniqueKey = try #require(MessageProperties.decode(properties)[MessageConst.uniqueClientMessageIDKeyIndex])
            let header = BrokerTestCluster.sendHeader(topic: topic, properties: properties)
            let sent = try await cluster.invoke(.request(.sendMessageV2, header: SendMessageRequestHeaderV2(header),
                                                         body: ByteBuffer(string: "query-me")))
            #expect(sent.code == 0, "\(sent)")
            let other = try await cluster.sendOK(topic: topic, body: "other", keys: "OrderC")
            let otherOffset = try #require(MessageID.decodeOffsetMessageID(other.msgID)).commitLogOffset

            func query(_ key: String, unique: Bool = false) async throws -> RemotingCommand {
                var request = RemotingCommand.request(.queryMessage, header: QueryMessageRequestHeader(
                    topic: topic, key: key, maxNum: 16, beginTimestamp: 0, endTimestamp: Int64.max))
                if unique { request.extFields["_UNIQUE_KEY_QUERY"] = "true" }
                return try await cluster.invoke(request)
            }
            // The index is built by the dispatcher after the send is answered; "other" is indexed last.
            let indexed = try await eventually { try await query("OrderC").code == 0 }
            #expect(indexed, "key OrderC never became queryable")
            let byKey = try await query("OrderB")
            #expect(try byKey.decodedMessages().map(\.bodyString) == ["query-me"])
            // Upstream: the end physical offset of the newest index file, i.e. where the last indexed message starts.
            #expect(try byKey.decodeHeader(QueryMessageResponseHeader.self).indexLastUpdatePhyoffset == otherOffset)

            let byUnique = try await query(uniqueKey, unique: true)
            #expect(byUnique.code == 0, "\(byUnique)")
            let m = try #require(try byUnique.decodedMessages().first)
            #expect(m.bodyString == "query-me")
            #expect(m.tags == "TagQ")

            let miss = try await query("NoSuchKey")
            #expect(miss.code == 22, "\(miss)")
            #expect(miss.remark?.isEmpty == false)

            let offset = try #require(MessageID.decodeOffsetMessageID(
                try sent.decodeHeader(SendMessageResponseHeader.self).msgID)).commitLogOffset
            let view = try await cluster.invoke(.request(.viewMessageByID, header: ViewMessageRequestHeader(offset: offset)))
            #expect(view.code == 0, "\(view)")
            #expect(try view.decodedMessages().map(\.bodyString) == ["query-me"])

            let badView = try await cluster.invoke(.request(.viewMessageByID, header: ViewMessageRequestHeader(offset: 987_654_321)))
            #expect(badView.code == 1, "\(badView)")
            #expect(badView.remark?.contains("987654321") == true)
        }
    }

    @Test("an unknown request code is answered with 3", .timeLimit(.minutes(1)))
    func unknownRequestCode() async throws {
        try await BrokerTestCluster.with { cluster in
            let r = try await cluster.invoke(RemotingCommand(code: 9999))
            #expect(r.code == 3, "\(r)")
            #expect(r.remark == " request type 9999 not supported")
        }
    }
}
