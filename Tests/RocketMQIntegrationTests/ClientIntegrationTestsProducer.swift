//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQClient
import RocketMQCommon
import RocketMQCompression
import RocketMQRemoting
import Synchronization
import Testing

/// Producer send modes, createTopic, compression and the admin API against the in-process broker.
@Suite("Client integration: producer and admin", .timeLimit(.minutes(1)))
struct ClientIntegrationTestsProducer {
    @Test("sync, completion, oneway, selector and batch sends are all stored and readable")
    func sendModes() async throws {
        let cluster = try await ClientTestCluster.start()
        let topic = cluster.unique("SendModes")
        try await cluster.createTopic(topic, queues: 4)
        let producer = try await cluster.startedProducer()

        let sync = try await producer.send(Message(topic: topic, tags: "sync", keys: "k-sync", body: "sync"))
        #expect(sync.sendStatus == .sendOK)
        #expect(sync.description.hasPrefix("SendResult [sendStatus=SEND_OK, msgId=\(sync.msgID), offsetMsgId="))
        #expect(sync.description.contains("messageQueue=MessageQueue [topic=\(topic), brokerName=\(cluster.brokerName), queueId="))

        let completion: SendResult = try await withCheckedThrowingContinuation { continuation in
            producer.send(Message(topic: topic, tags: "async", body: "async")) { continuation.resume(with: $0) }
        }
        #expect(completion.sendStatus == .sendOK)

        try await producer.sendOneway(Message(topic: topic, tags: "oneway", body: "oneway"))

        // The selector pins every message with the same argument to one queue.
        var selectorQueues = Set<Int32>()
        var selectorOffsets: [Int64] = []
        for i in 0..<6 {
            let r = try await producer.send(Message(topic: topic, tags: "sel", body: "sel-\(i)"),
                                            selector: { queues, _, arg in queues[arg % queues.count] }, arg: 7)
            selectorQueues.insert(r.messageQueue.queueID)
            selectorOffsets.append(r.queueOffset)
        }
        #expect(selectorQueues == [3])
        #expect(selectorOffsets == selectorOffsets.sorted())

        let batch = try await producer.send((0..<5).map { Message(topic: topic, tags: "batch", body: "batch-\($0)") })
        #expect(batch.sendStatus == .sendOK)
        #expect(batch.msgID.split(separator: ",").count == 5)

        // Everything (1 + 1 + 1 oneway + 6 + 5) is readable.
        let received = ClientReceived()
        let consumer = cluster.pushConsumer(cluster.unique("cg"))
        try consumer.subscribe(topic, "*")
        consumer.registerMessageListener(concurrently: { messages, _ in
            received.add(messages)
            return .consumeSuccess
        })
        try await consumer.start()
        let all = await clientEventually { received.distinctIDs.count >= 14 }
        #expect(all, "received \(received.distinctIDs.count) of 14")
        let expected: Set<String> = Set(["sync", "async", "oneway"] + (0..<6).map { "sel-\($0)" } + (0..<5).map { "batch-\($0)" })
        #expect(received.bodies == expected)
        await consumer.shutdown()
        await producer.shutdown()
        await cluster.shutdown()
    }

    @Test("createTopic through the producer makes a routable topic with the asked queue count")
    func createTopic() async throws {
        let cluster = try await ClientTestCluster.start()
        let producer = try await cluster.startedProducer()
        let topic = cluster.unique("Created")
        try await producer.createTopic(key: MixAll.autoCreateTopicKeyTopic, topic: topic, queueNum: 6)
        let admin = MQAdmin(clientConfig: cluster.clientConfig())
        let routed = await clientEventually(.seconds(10)) {
            (try? await admin.topicRoute(topic))?.queueDatas.first?.writeQueueNums == 6
        }
        #expect(routed)
        let queues = try await producer.fetchPublishMessageQueues(topic)
        #expect(queues.count == 6)
        let r = try await producer.send(Message(topic: topic, body: "hi"))
        #expect(r.sendStatus == .sendOK)
        await admin.shutdown()
        await producer.shutdown()
        await cluster.shutdown()
    }

    @Test("zlib and lz4 compressed bodies round-trip", arguments: [CompressionType.zlib, .lz4])
    func compression(type: CompressionType) async throws {
        let cluster = try await ClientTestCluster.start()
        let topic = cluster.unique("Compressed")
        try await cluster.createTopic(topic, queues: 2)
        let producer = cluster.producer()
        producer.compressionType = type
        producer.compressMsgBodyOverHowmuch = 4096
        try await producer.start()
        var sent: [String: String] = [:]
        var bigOffsetIDs: [String] = []
        for i in 0..<4 {
            let body = String(repeating: "\(type) body \(i) compress me please. ", count: 400)
            #expect(body.utf8.count > 4096)
            let r = try await producer.send(Message(topic: topic, body: body))
            sent[r.msgID] = body
            bigOffsetIDs.append(r.offsetMsgID)
        }
        let small = try await producer.send(Message(topic: topic, body: "small"))
        sent[small.msgID] = "small"

        // The stored record really is compressed (sysFlag bit 0) except the small one.
        let admin = MQAdmin(clientConfig: cluster.clientConfig())
        let stored = try await admin.viewMessage(offsetMsgID: small.offsetMsgID)
        #expect(stored.sysFlag & MessageSysFlag.compressed == 0)
        let big = try await admin.viewMessage(offsetMsgID: bigOffsetIDs[0])
        #expect(big.sysFlag & MessageSysFlag.compressed != 0)

        let received = ClientReceived()
        let consumer = cluster.pushConsumer(cluster.unique("cg"))
        try consumer.subscribe(topic, "*")
        consumer.registerMessageListener(concurrently: { messages, _ in
            received.add(messages)
            return .consumeSuccess
        })
        try await consumer.start()
        #expect(await clientEventually { received.distinctIDs.count >= sent.count })
        for message in received.all { #expect(sent[message.msgID] == message.bodyString) }
        await consumer.shutdown()
        await admin.shutdown()
        await producer.shutdown()
        await cluster.shutdown()
    }

    @Test("admin: topic route, cluster info, query by key, unique key and offset id")
    func adminSmoke() async throws {
        let cluster = try await ClientTestCluster.start()
        let topic = cluster.unique("AdminTopic")
        try await cluster.createTopic(topic, queues: 2)
        let producer = try await cluster.startedProducer()
        let r = try await producer.send(Message(topic: topic, tags: "T", keys: "order-42", body: "find me"))
        let admin = MQAdmin(clientConfig: cluster.clientConfig())

        let route = try await admin.topicRoute(topic)
        #expect(route.brokerDatas.map(\.brokerName) == [cluster.brokerName])
        #expect(route.brokerDatas.first?.brokerAddrs[MixAll.masterID] == cluster.brokerAddr)
        let info = try await admin.clusterInfo()
        #expect(info.clusterAddrTable["DefaultCluster"]?.contains(cluster.brokerName) == true)

        let byOffset = try await admin.viewMessage(offsetMsgID: r.offsetMsgID)
        #expect(byOffset.bodyString == "find me")
        #expect(byOffset.msgID == r.msgID)

        // The index is built asynchronously by the dispatcher.
        var byKey: [MessageExt] = []
        _ = await clientEventually(.seconds(10)) {
            byKey = (try? await admin.queryMessage(topic: topic, key: "order-42")) ?? []
            return !byKey.isEmpty
        }
        #expect(byKey.map(\.bodyString) == ["find me"])
        let byUnique = try await admin.queryMessageByUniqueKey(topic: topic, msgID: r.msgID)
        #expect(byUnique.first?.offsetMsgID == r.offsetMsgID)
        let byQueueOffset = try await admin.queryMessage(queue: r.messageQueue, offset: r.queueOffset)
        #expect(byQueueOffset?.msgID == r.msgID)

        await admin.shutdown()
        await producer.shutdown()
        await cluster.shutdown()
    }
}
