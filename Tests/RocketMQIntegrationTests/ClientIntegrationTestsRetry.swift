//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQClient
import RocketMQCommon
import RocketMQRemoting
import Synchronization
import Testing

/// Reconsume-later → retry topic → dead-letter queue, and the lite pull consumer.
@Suite("Client integration: retry, DLQ and lite pull", .timeLimit(.minutes(1)))
struct ClientIntegrationTestsRetry {
    @Test("RECONSUME_LATER comes back through the retry topic with reconsumeTimes counting up")
    func retry() async throws {
        let cluster = try await ClientTestCluster.start()
        let topic = cluster.unique("Retry")
        let group = cluster.unique("cg")
        try await cluster.createTopic(topic, queues: 2)
        let producer = try await cluster.startedProducer()
        let deliveries = Mutex<[(String, Int32, String)]>([])
        let consumer = cluster.pushConsumer(group)
        try consumer.subscribe(topic, "*")
        consumer.registerMessageListener(concurrently: { messages, _ in
            let m = messages[0]
            deliveries.withLock { $0.append((m.bodyString, m.reconsumeTimes, m.topic)) }
            // "flaky" fails twice; the later "marker" fails once.
            return m.reconsumeTimes < (m.bodyString == "marker" ? 1 : 2) ? .reconsumeLater : .consumeSuccess
        })
        try await consumer.start()
        _ = try await producer.send(Message(topic: topic, body: "flaky"))
        #expect(await clientEventually(.seconds(30)) { deliveries.withLock { $0.count } >= 3 })
        let seen = deliveries.withLock { $0 }
        #expect(seen.map(\.1) == [0, 1, 2], "\(seen)")
        #expect(seen.allSatisfy { $0.0 == "flaky" })
        // Redeliveries come from %RETRY%group; the listener sees the original topic restored.
        #expect(seen.allSatisfy { $0.2 == topic })
        // Marker: sent after flaky's success and redelivered once through the same retry path (every delay level
        // is 1 s here). A redelivery of flaky would be due before the marker's, so once the marker is back, flaky
        // has had its chance to come back too.
        _ = try await producer.send(Message(topic: topic, body: "marker"))
        #expect(await clientEventually(.seconds(30)) { deliveries.withLock { $0 }.contains { $0.0 == "marker" && $0.1 == 1 } })
        let flaky = deliveries.withLock { $0 }.filter { $0.0 == "flaky" }
        #expect(flaky.map(\.1) == [0, 1, 2], "consumed once successfully, no further redelivery: \(flaky)")
        await consumer.shutdown()
        await producer.shutdown()
        await cluster.shutdown()
    }

    @Test("after retryMaxTimes failures the message lands in %DLQ%group")
    func deadLetter() async throws {
        let cluster = try await ClientTestCluster.start()
        let topic = cluster.unique("Dlq")
        let group = cluster.unique("cg")
        try await cluster.createTopic(topic, queues: 1)
        let admin = MQAdmin(clientConfig: cluster.clientConfig())
        var groupConfig = SubscriptionGroupConfig(groupName: group)
        groupConfig.retryMaxTimes = 1
        try await admin.updateSubscriptionGroup(brokerAddr: cluster.brokerAddr, config: groupConfig)
        let producer = try await cluster.startedProducer()
        let attempts = Mutex<[Int32]>([])
        let consumer = cluster.pushConsumer(group)
        consumer.maxReconsumeTimes = 1
        try consumer.subscribe(topic, "*")
        consumer.registerMessageListener(concurrently: { messages, _ in
            attempts.withLock { $0.append(messages[0].reconsumeTimes) }
            return .reconsumeLater
        })
        try await consumer.start()
        let sent = try await producer.send(Message(topic: topic, keys: "dead-1", body: "poison"))
        let dlq = MixAll.dlqTopic(group)
        var inDLQ: [MessageExt] = []
        let found = await clientEventually(.seconds(30)) {
            inDLQ = (try? await admin.queryMessageByUniqueKey(topic: dlq, msgID: sent.msgID)) ?? []
            return !inDLQ.isEmpty
        }
        #expect(found, "no message in \(dlq); attempts \(attempts.withLock { $0 })")
        #expect(inDLQ.first?.bodyString == "poison")
        #expect(attempts.withLock { $0 } == [0, 1])
        await consumer.shutdown()
        await admin.shutdown()
        await producer.shutdown()
        await cluster.shutdown()
    }

    @Test("lite pull: poll, commit, seek, pause/resume")
    func litePull() async throws {
        let cluster = try await ClientTestCluster.start()
        let topic = cluster.unique("Lite")
        let group = cluster.unique("lg")
        try await cluster.createTopic(topic, queues: 1)
        let producer = try await cluster.startedProducer()
        for i in 0..<20 { _ = try await producer.send(Message(topic: topic, body: "lite-\(i)")) }

        func makeConsumer() throws -> DefaultLitePullConsumer {
            let c = DefaultLitePullConsumer(consumerGroup: group, clientConfig: cluster.clientConfig())
            c.consumeFromWhere = .consumeFromFirstOffset
            c.autoCommit = false
            c.pullBatchSize = 10
            try c.subscribe(topic, "*")
            return c
        }
        func drain(_ c: DefaultLitePullConsumer, until count: Int, within: Duration = .seconds(10)) async throws
            -> [MessageExt]
        {
            var got: [MessageExt] = []
            let deadline = ContinuousClock.now + within
            while got.count < count && ContinuousClock.now < deadline {
                got += try await c.poll(timeout: .milliseconds(300))
            }
            return got
        }
        let consumer = try makeConsumer()
        try await consumer.start()
        let first = try await drain(consumer, until: 20)
        #expect(first.map(\.bodyString) == (0..<20).map { "lite-\($0)" })
        let queue = MessageQueue(topic: topic, brokerName: cluster.brokerName, queueID: 0)
        await consumer.commitSync()
        #expect(await consumer.committed(queue) == 20)

        // Seek back: the same messages again, from offset 5.
        try consumer.seek(queue, offset: 5)
        let again = try await drain(consumer, until: 15)
        #expect(again.first?.queueOffset == 5)
        #expect(again.map(\.bodyString) == (5..<20).map { "lite-\($0)" })

        // Pause: at most the one pull already in flight (≤ pullBatchSize) arrives; resume brings the rest.
        consumer.pause([queue])
        for i in 20..<50 { _ = try await producer.send(Message(topic: topic, body: "lite-\(i)")) }
        let whilePaused = try await drain(consumer, until: 30, within: .seconds(1))
        #expect(whilePaused.count <= 10, "\(whilePaused.count) polled while paused")
        consumer.resume([queue])
        let afterResume = try await drain(consumer, until: 30 - whilePaused.count)
        #expect((whilePaused + afterResume).map(\.bodyString) == (20..<50).map { "lite-\($0)" })
        await consumer.commitSync()
        await consumer.shutdown()

        // A new member of the group starts at the committed offset: nothing left to read.
        let next = try makeConsumer()
        try await next.start()
        #expect(try await next.poll(timeout: .seconds(1)).isEmpty)
        #expect(await next.committed(queue) == 50)
        await next.shutdown()
        await producer.shutdown()
        await cluster.shutdown()
    }

    @Test("lite pull: messages as an AsyncSequence")
    func litePullSequence() async throws {
        let cluster = try await ClientTestCluster.start()
        let topic = cluster.unique("LiteSeq")
        try await cluster.createTopic(topic, queues: 2)
        let producer = try await cluster.startedProducer()
        for i in 0..<12 { _ = try await producer.send(Message(topic: topic, body: "seq-\(i)")) }
        let consumer = DefaultLitePullConsumer(consumerGroup: cluster.unique("lg"), clientConfig: cluster.clientConfig())
        consumer.consumeFromWhere = .consumeFromFirstOffset
        try consumer.subscribe(topic)
        try await consumer.start()
        var bodies = Set<String>()
        for try await message in consumer.messages {
            bodies.insert(message.bodyString)
            if bodies.count == 12 { break }
        }
        #expect(bodies == Set((0..<12).map { "seq-\($0)" }))
        await consumer.shutdown()
        var after: [MessageExt] = []
        for try await message in consumer.messages { after.append(message) }
        #expect(after.isEmpty, "the sequence ends once the consumer is shut down")
        await producer.shutdown()
        await cluster.shutdown()
    }
}
