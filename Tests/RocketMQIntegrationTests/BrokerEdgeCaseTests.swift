//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQBroker
import RocketMQCommon
import RocketMQRemoting
import Testing

/// Edge cases around the main paths: serialization, caps, permissions, limits.
@Suite("Broker edge cases")
struct BrokerEdgeCaseTests {
    @Test("ROCKETMQ-serialized requests are answered in the same serialization", .timeLimit(.minutes(1)))
    func binaryHeaders() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("Binary")
            try await cluster.createTopic(topic, queues: 1)
            var send = RemotingCommand.request(.sendMessageV2, header: SendMessageRequestHeaderV2(
                BrokerTestCluster.sendHeader(topic: topic, properties: BrokerTestCluster.properties(tags: "TagBin"))),
                body: ByteBuffer(string: "binary"))
            send.serializeType = .rocketmq
            let sent = try await cluster.invoke(send)
            #expect(sent.code == 0, "\(sent)")
            #expect(sent.serializeType == .rocketmq)
            #expect(sent.extFields["MSG_REGION"] == "DefaultRegion")

            var pull = RemotingCommand.request(.pullMessage, header: PullMessageRequestHeader(
                consumerGroup: "CG_BIN", topic: topic, queueID: 0, queueOffset: 0, maxMsgNums: 8,
                sysFlag: PullSysFlag.subscription, commitOffset: 0, suspendTimeoutMillis: 0, subscription: "TagBin",
                subVersion: 0, expressionType: "TAG"))
            pull.serializeType = .rocketmq
            let pulled = try await cluster.invoke(pull)
            #expect(pulled.code == 0, "\(pulled)")
            #expect(try pulled.decodedMessages().map(\.bodyString) == ["binary"])
        }
    }

    @Test("a pull returns at most 32 messages from memory; queueId -1 picks a queue", .timeLimit(.minutes(1)))
    func transferCapAndRandomQueue() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("Cap")
            try await cluster.createTopic(topic, queues: 3)
            for i in 0..<40 { try await cluster.sendOK(topic: topic, body: "cap-\(i)", queueID: 0) }
            let r = try await cluster.pull(topic: topic, maxMsgNums: 64)
            #expect(r.messages.count == 32)
            #expect(r.header?.nextBeginOffset == 32)

            var queues = Set<Int32>()
            for _ in 0..<12 {
                let s = try await cluster.send(topic: topic, body: "any", queueID: -1)
                #expect(s.code == 0, "\(s)")
                queues.insert(try s.decodeHeader(SendMessageResponseHeader.self).queueID)
            }
            #expect(queues.isSubset(of: [0, 1, 2]))
        }
    }

    @Test("topic permissions: a read-only topic refuses sends, a write-only topic refuses pulls", .timeLimit(.minutes(1)))
    func topicPermissions() async throws {
        try await BrokerTestCluster.with { cluster in
            let readOnly = uniqueName("RO")
            let writeOnly = uniqueName("WO")
            try await cluster.createTopic(readOnly, queues: 1, perm: PermName.read)
            try await cluster.createTopic(writeOnly, queues: 1, perm: PermName.write)
            let send = try await cluster.send(topic: readOnly, body: "x")
            #expect(send.code == 16, "\(send)")
            #expect(send.remark?.contains(readOnly) == true)
            #expect(send.extFields["TRACE_ON"] == "true")
            #expect(try await cluster.send(topic: writeOnly, body: "x").code == 0)
            let pull = try await cluster.pull(topic: writeOnly)
            #expect(pull.code == 16, "\(pull.response)")
            #expect(pull.response.remark?.contains(writeOnly) == true)
        }
    }

    @Test("groups: consume disabled is 16; without auto-creation an unknown group is 26 and gets no retry topic",
          .timeLimit(.minutes(1)))
    func groupChecks() async throws {
        try await BrokerTestCluster.with({ $0.autoCreateSubscriptionGroup = false }) { cluster in
            let topic = uniqueName("Groups")
            try await cluster.createTopic(topic, queues: 1)
            let unknown = uniqueName("Unknown")
            let r = try await cluster.pull(topic: topic, group: unknown)
            #expect(r.code == 26, "\(r.response)")
            #expect(r.response.remark?.contains(unknown) == true)

            let hb = try await cluster.heartbeat(clientID: "c", consumers: [BrokerTestCluster.consumer(unknown, topic: topic)])
            #expect(hb.code == 0)
            let topics = try await cluster.invoke(.request(.getAllTopicConfig))
            #expect(try TopicConfigSerializeWrapper(body: topics.body).topicConfigTable["%RETRY%\(unknown)"] == nil)

            let disabled = uniqueName("Disabled")
            var config = SubscriptionGroupConfig(groupName: disabled)
            config.consumeEnable = false
            try await cluster.createGroup(config)
            let refused = try await cluster.pull(topic: topic, group: disabled)
            #expect(refused.code == 16, "\(refused.response)")
            #expect(refused.response.remark?.contains(disabled) == true)
        }
    }

    @Test("transaction messages are refused with 16 when rejectTransactionMessage is set", .timeLimit(.minutes(1)))
    func rejectTransactions() async throws {
        try await BrokerTestCluster.with({ $0.rejectTransactionMessage = true }) { cluster in
            let topic = uniqueName("NoTx")
            try await cluster.createTopic(topic, queues: 1)
            let r = try await cluster.send(topic: topic, body: "tx", user: [MessageConst.transactionPrepared: "true",
                                                                             MessageConst.producerGroup: "PG"],
                                           sysFlag: MessageSysFlag.transactionPreparedType)
            #expect(r.code == 16, "\(r)")
            #expect(r.remark?.contains("transaction message is forbidden") == true)
            #expect(r.extFields["MSG_REGION"] == "DefaultRegion")
        }
    }

    @Test("a 127-character topic is auto-created, stored and pulled back", .timeLimit(.minutes(1)))
    func longestTopicName() async throws {
        try await BrokerTestCluster.with { cluster in
            let suffix = uniqueName("L")
            let topic = String(repeating: "t", count: 127 - suffix.count) + suffix
            #expect(topic.count == 127)
            let r = try await cluster.send(topic: topic, body: "long-topic")
            #expect(r.code == 0, "\(r)")
            let m = try #require(try await cluster.pullAll(topic: topic).first)
            #expect(m.topic == topic)
            #expect(m.bodyString == "long-topic")
        }
    }

    @Test("an empty queue: earliest store time -1, search by time 0", .timeLimit(.minutes(1)))
    func emptyQueueTimes() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("EmptyTimes")
            try await cluster.createTopic(topic, queues: 1)
            let earliest = try await cluster.invoke(.request(.getEarliestMsgStoretime,
                                                             header: GetEarliestMsgStoretimeRequestHeader(topic: topic, queueID: 0)))
            #expect(try earliest.decodeHeader(GetEarliestMsgStoretimeResponseHeader.self).timestamp == -1)
            let search = try await cluster.invoke(.request(.searchOffsetByTimestamp,
                                                           header: SearchOffsetRequestHeader(topic: topic, queueID: 0, timestamp: Clock.millis())))
            #expect(try search.decodeHeader(OffsetResponseHeader.self).offset == 0)
        }
    }
}

/// Long polling at the end of a non-empty queue, and state after deletions.
@Suite("Broker edge cases: end of queue and deletions")
struct BrokerDeletionTests {
    @Test("a pull parked at the end of a non-empty queue wakes with the next message", .timeLimit(.minutes(1)))
    func longPollAtEndOfQueue() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("LongPollEnd")
            try await cluster.createTopic(topic, queues: 1)
            for i in 0..<3 { try await cluster.sendOK(topic: topic, body: "old-\(i)") }
            let client = cluster.makeClient()
            let pending = Task {
                try await cluster.pull(topic: topic, offset: 3, sysFlag: PullSysFlag.subscription | PullSysFlag.suspend,
                                       suspendTimeoutMillis: 10_000, via: client, timeoutMillis: 20_000)
            }
            #expect(await eventually { cluster.broker.pullHold.parkedCount == 1 })
            let sentAt = ContinuousClock.now
            try await cluster.sendOK(topic: topic, body: "new")
            let r = try await pending.value
            // Well before the 10 s hold ends (generous for a loaded 2-core CI machine).
            #expect(ContinuousClock.now - sentAt < .seconds(4))
            #expect(r.code == 0, "\(r.response)")
            #expect(r.messages.map(\.bodyString) == ["new"])
            #expect(r.messages.first?.queueOffset == 3)
            #expect(r.header?.nextBeginOffset == 4)
            await client.shutdown()
        }
    }

    @Test("a deleted topic is gone: re-created by a send it starts again at offset 0", .timeLimit(.minutes(1)))
    func deletedTopicStartsOver() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("Recreated")
            try await cluster.createTopic(topic, queues: 1)
            for i in 0..<3 { try await cluster.sendOK(topic: topic, body: "first-life-\(i)") }
            let delete = try await cluster.invoke(.request(.deleteTopicInBroker, header: DeleteTopicRequestHeader(topic: topic)))
            #expect(delete.code == 0)
            #expect(try await cluster.pull(topic: topic).code == 17)

            let again = try await cluster.sendOK(topic: topic, body: "second-life")
            #expect(again.queueOffset == 0)
            #expect(try await cluster.pullAll(topic: topic).map(\.bodyString) == ["second-life"])
            #expect(try await cluster.offset(.getMaxOffset, topic: topic) == 1)
        }
    }

    @Test("deleting a group with removeOffset drops its committed offsets", .timeLimit(.minutes(1)))
    func deleteGroupRemovesOffsets() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("GroupOffsets")
            let group = uniqueName("CG")
            try await cluster.createTopic(topic, queues: 1)
            try await cluster.sendOK(topic: topic, body: "x")
            try await cluster.createGroup(SubscriptionGroupConfig(groupName: group))
            let update = try await cluster.invoke(.request(.updateConsumerOffset, header: UpdateConsumerOffsetRequestHeader(
                consumerGroup: group, topic: topic, queueID: 0, commitOffset: 1)))
            #expect(update.code == 0)
            let delete = try await cluster.invoke(.request(.deleteSubscriptionGroup,
                                                           header: DeleteSubscriptionGroupRequestHeader(groupName: group, removeOffset: true)))
            #expect(delete.code == 0, "\(delete)")
            let q = try await cluster.queryConsumerOffset(group: group, topic: topic)
            #expect(q.code == 0)
            #expect(try q.decodeHeader(QueryConsumerOffsetResponseHeader.self).offset == 0)
        }
    }
}
