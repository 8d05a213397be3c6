//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQBroker
import RocketMQCommon
import RocketMQRemoting
import RocketMQStore
import Testing

/// SEND_MESSAGE (10), SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320) and topic auto-creation over TCP.
@Suite("Broker send")
struct BrokerSendMessageTests {
    /// Every send response, success or refusal, carries MSG_REGION and TRACE_ON.
    static func expectSendExtFields(_ r: RemotingCommand, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.extFields["MSG_REGION"] == "DefaultRegion", "MSG_REGION in \(r)", sourceLocation: sourceLocation)
        #expect(r.extFields["TRACE_ON"] == "true", "TRACE_ON in \(r)", sourceLocation: sourceLocation)
    }

    @Test("a single send stores body, tags, keys, user properties and CLUSTER, without WAIT",
          .timeLimit(.minutes(1)), arguments: [RequestCode.sendMessage, RequestCode.sendMessageV2])
    func singleSendStoresTheMessage(code: RequestCode) async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("SendTopic")
            try await cluster.createTopic(topic, queues: 4)
            let r = try await cluster.send(topic: topic, body: "hello-\(code)", queueID: 2, tags: "TagA",
                                           keys: "K1 K2", user: ["color": "red"], code: code)
            #expect(r.code == 0, "\(r)")
            Self.expectSendExtFields(r)
            let h = try r.decodeHeader(SendMessageResponseHeader.self)
            #expect(h.queueID == 2)
            #expect(h.queueOffset == 0)
            #expect(h.msgID.count == 32)
            let decoded = try #require(MessageID.decodeOffsetMessageID(h.msgID))
            // The offset id names the broker's real address (brokerIP1:listenPort), as upstream.
            #expect(decoded.storeHost.hostString == "127.0.0.1")
            #expect(Int(decoded.storeHost.port) == cluster.broker.config.listenPort)

            let pulled = try await cluster.pull(topic: topic, queueID: 2)
            #expect(pulled.code == 0, "\(pulled.response)")
            let m = try #require(pulled.messages.first)
            #expect(pulled.messages.count == 1)
            #expect(m.bodyString == "hello-\(code)")
            #expect(m.tags == "TagA")
            #expect(m.keys == "K1 K2")
            #expect(m.properties["color"] == "red")
            #expect(m.properties[MessageConst.cluster] == "DefaultCluster")
            #expect(m.properties[MessageConst.waitStoreMsgOK] == nil)
            #expect(m.properties[MessageConst.uniqueClientMessageIDKeyIndex] != nil)
            #expect(m.topic == topic)
            #expect(m.queueID == 2)
            #expect(m.queueOffset == 0)
            #expect(decoded.commitLogOffset == m.commitLogOffset)
            #expect(m.storeHost == decoded.storeHost)
        }
    }

    @Test("a batch is stored as consecutive messages with one offset id each",
          .timeLimit(.minutes(1)), arguments: [RequestCode.sendBatchMessage, RequestCode.sendMessageV2, RequestCode.sendMessage])
    func batchSendStoresEveryMessage(code: RequestCode) async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("BatchTopic")
            try await cluster.createTopic(topic, queues: 2)
            // One message first, so the batch does not start at commit-log offset 0 of the topic.
            try await cluster.sendOK(topic: topic, body: "before", queueID: 1)
            // Records of different sizes, so each offset id must account for its own record.
            let records = (0..<3).map { i in
                (body: "batch-\(i)" + String(repeating: "+", count: 13 * i),
                 properties: BrokerTestCluster.properties(tags: "T\(i)", keys: "BK\(i)",
                                                          user: ["pad": String(repeating: "p", count: 1 + 29 * i)], wait: false))
            }
            let header = BrokerTestCluster.sendHeader(topic: topic, queueID: 1,
                                                      properties: MessageProperties.encode([MessageConst.waitStoreMsgOK: "true"]),
                                                      batch: true)
            // Code 10 carries the V1 header; its batch flag, not the code, makes it a batch.
            let r = try await cluster.invoke(code == .sendMessage
                ? .request(code, header: header, body: BrokerTestCluster.batchBody(records))
                : .request(code, header: SendMessageRequestHeaderV2(header), body: BrokerTestCluster.batchBody(records)))
            #expect(r.code == 0, "\(r)")
            Self.expectSendExtFields(r)
            let h = try r.decodeHeader(SendMessageResponseHeader.self)
            #expect(h.queueID == 1)
            #expect(h.queueOffset == 1)
            let ids = h.msgID.split(separator: ",").map(String.init)
            #expect(ids.count == 3)

            for (i, id) in ids.enumerated() {
                let decoded = try #require(MessageID.decodeOffsetMessageID(id), "offset id \(id)")
                let view = try await cluster.invoke(.request(.viewMessageByID,
                                                             header: ViewMessageRequestHeader(offset: decoded.commitLogOffset)))
                #expect(view.code == 0, "\(view)")
                let m = try #require(try view.decodedMessages().first)
                #expect(m.bodyString == records[i].body)
                #expect(m.queueOffset == Int64(1 + i))
                #expect(m.commitLogOffset == decoded.commitLogOffset)
            }

            let all = try await cluster.pullAll(topic: topic, queueID: 1)
            #expect(all.map(\.bodyString) == ["before"] + records.map(\.body))
            for (i, m) in all.dropFirst().enumerated() {
                #expect(m.tags == "T\(i)")
                #expect(m.keys == "BK\(i)")
                #expect(m.properties[MessageConst.cluster] == "DefaultCluster")
                #expect(m.properties["pad"]?.count == 1 + 29 * i)
            }
        }
    }

    @Test("sends to bad topics are refused with upstream codes", .timeLimit(.minutes(1)))
    func topicRefusals() async throws {
        try await BrokerTestCluster.with { cluster in
            let illegal = try await cluster.send(topic: "bad topic!", body: "x")
            #expect(illegal.code == 1, "\(illegal)")
            #expect(illegal.remark?.isEmpty == false)
            Self.expectSendExtFields(illegal)

            let long = try await cluster.send(topic: String(repeating: "a", count: 128), body: "x")
            // Upstream's broker-side TopicValidator.validateTopic answers SYSTEM_ERROR before the store is reached.
            #expect(long.code == 1, "\(long)")
            #expect(long.remark?.contains("longer than topic max length") == true, "\(long)")
            Self.expectSendExtFields(long)

            let schedule = try await cluster.send(topic: "SCHEDULE_TOPIC_XXXX", body: "x")
            #expect(schedule.code == 16, "\(schedule)")
            #expect(schedule.remark?.contains("SCHEDULE_TOPIC_XXXX") == true)
            Self.expectSendExtFields(schedule)

            let topic = uniqueName("Q4")
            try await cluster.createTopic(topic, queues: 4)
            let badQueue = try await cluster.send(topic: topic, body: "x", queueID: 4)
            #expect(badQueue.code == 1, "\(badQueue)")
            #expect(badQueue.remark?.contains("queueId[4] is illegal") == true)
            Self.expectSendExtFields(badQueue)

            let retryGroup = uniqueName("NoSuchGroup")
            let retry = try await cluster.send(topic: "%RETRY%\(retryGroup)", body: "x")
            #expect(retry.code == 26, "\(retry)")
            #expect(retry.remark?.contains(retryGroup) == true)
            Self.expectSendExtFields(retry)

            let header = BrokerTestCluster.sendHeader(topic: "%RETRY%\(retryGroup)", properties: nil, batch: true)
            let batchRetry = try await cluster.invoke(.request(.sendBatchMessage, header: SendMessageRequestHeaderV2(header),
                                                               body: BrokerTestCluster.batchBody([(body: "b", properties: "")])))
            #expect(batchRetry.code == 13, "\(batchRetry)")
            #expect(batchRetry.remark?.contains("retry") == true)
            Self.expectSendExtFields(batchRetry)
        }
    }

    @Test("an unknown topic is refused with 17 when auto-creation is off", .timeLimit(.minutes(1)))
    func unknownTopicWithoutAutoCreate() async throws {
        try await BrokerTestCluster.with({ $0.autoCreateTopicEnable = false }) { cluster in
            let topic = uniqueName("NoSuchTopic")
            let r = try await cluster.send(topic: topic, body: "x")
            #expect(r.code == 17, "\(r)")
            #expect(r.remark == "topic[\(topic)] not exist, apply first please! http://rocketmq.apache.org/docs/faq/")
            Self.expectSendExtFields(r)
        }
    }

    @Test("a body over maxMessageSize is refused with 13", .timeLimit(.minutes(1)))
    func oversizeBody() async throws {
        try await BrokerTestCluster.with({ $0.store.maxMessageSize = 1024 }) { cluster in
            let topic = uniqueName("Big")
            try await cluster.createTopic(topic, queues: 1)
            let r = try await cluster.send(topic: topic, body: "", bodyBytes: [UInt8](repeating: 0x61, count: 2048))
            #expect(r.code == 13, "\(r)")
            #expect(r.remark?.isEmpty == false)
            Self.expectSendExtFields(r)
            let ok = try await cluster.send(topic: topic, body: String(repeating: "b", count: 512))
            #expect(ok.code == 0, "\(ok)")
        }
    }

    @Test("a broker without write permission refuses sends with 16", .timeLimit(.minutes(1)))
    func brokerNotWritable() async throws {
        try await BrokerTestCluster.with({ $0.brokerPermission = 4 }) { cluster in
            let r = try await cluster.send(topic: "TBW102", body: "x")
            #expect(r.code == 16, "\(r)")
            #expect(r.remark?.contains("sending message is forbidden") == true)
            Self.expectSendExtFields(r)
        }
    }

    @Test("a send to a new topic creates it and the name server routes it at once", .timeLimit(.minutes(1)))
    func autoCreateRegistersRouteBeforeAnswering() async throws {
        try await BrokerTestCluster.with { cluster in
            // TBW102 has 8 queues (defaultTopicQueueNums); the header asks for 3, then for 16.
            for (asked, expected) in [(Int32(3), Int32(3)), (16, 8)] {
                let topic = uniqueName("Auto")
                let r = try await cluster.send(topic: topic, body: "x", defaultTopicQueueNums: asked, awaitDispatch: false)
                #expect(r.code == 0, "\(r)")
                let route = try await cluster.client.invoke(
                    cluster.namesrvAddr, .request(.getRouteInfoByTopic, header: GetRouteInfoRequestHeader(topic: topic)))
                #expect(route.code == 0, "route of \(topic) right after the send: \(route)")
                guard route.code == 0 else { continue }
                let data = try TopicRouteData(body: route.body)
                let q = try #require(data.queueDatas.first)
                #expect(q.brokerName == cluster.brokerName)
                #expect(q.readQueueNums == expected)
                #expect(q.writeQueueNums == expected)
                #expect(q.perm == 6)
                #expect(data.brokerDatas.first?.brokerAddrs[0] == cluster.broker.config.brokerAddr)
            }
        }
    }
}
