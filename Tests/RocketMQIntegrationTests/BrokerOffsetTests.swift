//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQBroker
import RocketMQCommon
import RocketMQRemoting
import Testing

/// QUERY/UPDATE_CONSUMER_OFFSET (14/15), GET_MAX/MIN_OFFSET (30/31), GET_EARLIEST_MSG_STORETIME (32),
/// SEARCH_OFFSET_BY_TIMESTAMP (29), INVOKE_BROKER_TO_RESET_OFFSET (222).
@Suite("Broker offsets")
struct BrokerOffsetTests {
    func update(_ cluster: BrokerTestCluster, group: String, topic: String, queueID: Int32 = 0, offset: Int64) async throws {
        let r = try await cluster.invoke(.request(.updateConsumerOffset, header: UpdateConsumerOffsetRequestHeader(
            consumerGroup: group, topic: topic, queueID: queueID, commitOffset: offset)))
        #expect(r.code == 0, "\(r)")
    }

    func committed(_ cluster: BrokerTestCluster, group: String, topic: String, queueID: Int32 = 0) async throws -> Int64? {
        let r = try await cluster.queryConsumerOffset(group: group, topic: topic, queueID: queueID)
        guard r.code == 0 else { return nil }
        return try r.decodeHeader(QueryConsumerOffsetResponseHeader.self).offset
    }

    @Test("consumer offsets round-trip, start at 0 on a fresh queue and survive a broker restart",
          .timeLimit(.minutes(1)))
    func consumerOffsetRoundTripAndRestart() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("Offsets")
            let group = uniqueName("CG")
            try await cluster.createTopic(topic, queues: 2)

            // A queue never committed whose first message is still hot answers 0.
            let fresh = try await cluster.queryConsumerOffset(group: group, topic: topic, queueID: 1)
            #expect(fresh.code == 0, "\(fresh)")
            #expect(try fresh.decodeHeader(QueryConsumerOffsetResponseHeader.self).offset == 0)

            try await update(cluster, group: group, topic: topic, queueID: 0, offset: 5)
            try await update(cluster, group: group, topic: topic, queueID: 1, offset: 7)
            #expect(try await committed(cluster, group: group, topic: topic, queueID: 0) == 5)
            #expect(try await committed(cluster, group: group, topic: topic, queueID: 1) == 7)
            try await update(cluster, group: group, topic: topic, queueID: 0, offset: 6)
            #expect(try await committed(cluster, group: group, topic: topic, queueID: 0) == 6)

            // Oneway, as Java consumers send it.
            try await cluster.client.invokeOneway(cluster.brokerAddr, .request(.updateConsumerOffset,
                header: UpdateConsumerOffsetRequestHeader(consumerGroup: group, topic: topic, queueID: 1, commitOffset: 8)))
            let onewayStored = try await eventually { try await committed(cluster, group: group, topic: topic, queueID: 1) == 8 }
            #expect(onewayStored)

            // Messages, topics and groups survive the restart too.
            for i in 0..<3 { try await cluster.sendOK(topic: topic, body: "persist-\(i)") }
            var groupConfig = SubscriptionGroupConfig(groupName: group)
            groupConfig.retryMaxTimes = 3
            try await cluster.createGroup(groupConfig)

            try await cluster.restartBroker()
            #expect(try await committed(cluster, group: group, topic: topic, queueID: 0) == 6)
            #expect(try await committed(cluster, group: group, topic: topic, queueID: 1) == 8)
            #expect(try await cluster.pullAll(topic: topic).map(\.bodyString) == ["persist-0", "persist-1", "persist-2"])
            #expect(try await cluster.offset(.getMaxOffset, topic: topic) == 3)
            let groups = try await cluster.invoke(.request(.getAllSubscriptionGroupConfig))
            #expect(try SubscriptionGroupWrapper(body: groups.body).subscriptionGroupTable[group]?.retryMaxTimes == 3)
            let topics = try await cluster.invoke(.request(.getAllTopicConfig))
            #expect(try TopicConfigSerializeWrapper(body: topics.body).topicConfigTable[topic]?.readQueueNums == 2)
            // The restarted broker accepts new messages after the recovered ones.
            let next = try await cluster.sendOK(topic: topic, body: "after-restart")
            #expect(next.queueOffset == 3)
        }
    }

    @Test("max, min, earliest store time and search by timestamp after N sends", .timeLimit(.minutes(1)))
    func queueOffsets() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("QueueOffsets")
            try await cluster.createTopic(topic, queues: 2)
            #expect(try await cluster.offset(.getMaxOffset, topic: topic) == 0)
            #expect(try await cluster.offset(.getMinOffset, topic: topic) == 0)
            for i in 0..<5 { try await cluster.sendOK(topic: topic, body: "o\(i)") }
            let stored = try await cluster.pullAll(topic: topic)
            #expect(stored.count == 5)

            #expect(try await cluster.offset(.getMaxOffset, topic: topic) == 5)
            #expect(try await cluster.offset(.getMinOffset, topic: topic) == 0)
            #expect(try await cluster.offset(.getMaxOffset, topic: topic, queueID: 1) == 0)

            let earliest = try await cluster.invoke(.request(.getEarliestMsgStoretime,
                                                             header: GetEarliestMsgStoretimeRequestHeader(topic: topic, queueID: 0)))
            #expect(earliest.code == 0, "\(earliest)")
            #expect(try earliest.decodeHeader(GetEarliestMsgStoretimeResponseHeader.self).timestamp == stored.first?.storeTimestamp)

            func search(_ timestamp: Int64) async throws -> Int64 {
                let r = try await cluster.invoke(.request(.searchOffsetByTimestamp,
                                                          header: SearchOffsetRequestHeader(topic: topic, queueID: 0, timestamp: timestamp)))
                #expect(r.code == 0, "\(r)")
                return try r.decodeHeader(OffsetResponseHeader.self).offset
            }
            #expect(try await search(0) == 0)
            #expect(try await search(Clock.millis() + 60_000) == 5)
            // The first message stored at or after message 3's store time.
            let third = stored[3]
            let expected = Int64(stored.firstIndex { $0.storeTimestamp >= third.storeTimestamp } ?? 3)
            #expect(try await search(third.storeTimestamp) == expected)
        }
    }

    @Test("INVOKE_BROKER_TO_RESET_OFFSET resets committed offsets to a time", .timeLimit(.minutes(1)))
    func resetOffsetByTime() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("Reset")
            let group = uniqueName("CG")
            try await cluster.createTopic(topic, queues: 2)
            for i in 0..<4 { try await cluster.sendOK(topic: topic, body: "r\(i)", queueID: 0) }
            try await cluster.sendOK(topic: topic, body: "r-q1", queueID: 1)

            func reset(_ timestamp: Int64, force: Bool = false) async throws -> [MessageQueue: Int64] {
                let r = try await cluster.invoke(.request(.invokeBrokerToResetOffset,
                                                          header: ResetOffsetRequestHeader(topic: topic, group: group,
                                                                                           timestamp: timestamp, isForce: force)))
                #expect(r.code == 0, "\(r)")
                return ResetOffsetBody(json: try JSONParser.parse(r.bodyBytes)).offsetTable
            }

            // -1 means "the end of each queue".
            let toMax = try await reset(-1)
            #expect(toMax[MessageQueue(topic: topic, brokerName: cluster.brokerName, queueID: 0)] == 4)
            #expect(toMax[MessageQueue(topic: topic, brokerName: cluster.brokerName, queueID: 1)] == 1)
            #expect(try await committed(cluster, group: group, topic: topic, queueID: 0) == 4)
            #expect(try await committed(cluster, group: group, topic: topic, queueID: 1) == 1)

            // A time before every message rewinds to 0.
            let toStart = try await reset(1)
            #expect(toStart.count == 2)
            #expect(toStart.values.allSatisfy { $0 == 0 })
            #expect(try await committed(cluster, group: group, topic: topic, queueID: 0) == 0)
            #expect(try await committed(cluster, group: group, topic: topic, queueID: 1) == 0)

            let missing = try await cluster.invoke(.request(.invokeBrokerToResetOffset, header: ResetOffsetRequestHeader(
                topic: uniqueName("NoTopic"), group: group, timestamp: 1, isForce: true)))
            #expect(missing.code == 17, "\(missing)")
            #expect(missing.remark?.contains("not exist") == true)
        }
    }

    @Test("GET_CONSUME_STATS shows broker and consumer offsets per queue", .timeLimit(.minutes(1)))
    func consumeStats() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("Stats")
            let group = uniqueName("CG")
            try await cluster.createTopic(topic, queues: 2)
            for i in 0..<3 { try await cluster.sendOK(topic: topic, body: "s\(i)", queueID: 0) }
            try await update(cluster, group: group, topic: topic, queueID: 0, offset: 2)

            let r = try await cluster.invoke(.request(.getConsumeStats,
                                                      header: GetConsumeStatsRequestHeader(consumerGroup: group, topic: topic)))
            #expect(r.code == 0, "\(r)")
            let stats = try ConsumeStats(body: r.body)
            let q0 = try #require(stats.offsetTable[MessageQueue(topic: topic, brokerName: cluster.brokerName, queueID: 0)])
            #expect(q0.brokerOffset == 3)
            #expect(q0.consumerOffset == 2)
            #expect(q0.lastTimestamp > 0)
            let q1 = try #require(stats.offsetTable[MessageQueue(topic: topic, brokerName: cluster.brokerName, queueID: 1)])
            #expect(q1.brokerOffset == 0)
            #expect(q1.consumerOffset == 0)

            let unknown = try await cluster.invoke(.request(.getConsumeStats,
                                                            header: GetConsumeStatsRequestHeader(consumerGroup: uniqueName("NoGroup"))))
            #expect(unknown.code == 26, "\(unknown)")
            #expect(unknown.remark?.contains("does not exist") == true)
        }
    }

    @Test("GET_TOPIC_STATS_INFO lists each queue's offsets; unknown topic is 17", .timeLimit(.minutes(1)))
    func topicStats() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("TopicStats")
            try await cluster.createTopic(topic, queues: 3)
            for i in 0..<2 { try await cluster.sendOK(topic: topic, body: "t\(i)", queueID: 2) }
            let r = try await cluster.invoke(.request(.getTopicStatsInfo, header: GetTopicStatsInfoRequestHeader(topic: topic)))
            #expect(r.code == 0, "\(r)")
            let table = try TopicStatsTable(body: r.body).offsetTable
            #expect(table.count == 3)
            let q2 = try #require(table[MessageQueue(topic: topic, brokerName: cluster.brokerName, queueID: 2)])
            #expect(q2.minOffset == 0)
            #expect(q2.maxOffset == 2)
            #expect(q2.lastUpdateTimestamp > 0)
            #expect(table[MessageQueue(topic: topic, brokerName: cluster.brokerName, queueID: 0)]?.maxOffset == 0)

            let unknown = try await cluster.invoke(.request(.getTopicStatsInfo,
                                                            header: GetTopicStatsInfoRequestHeader(topic: uniqueName("None"))))
            #expect(unknown.code == 17, "\(unknown)")
            #expect(unknown.remark?.contains("not exist") == true)
        }
    }
}
