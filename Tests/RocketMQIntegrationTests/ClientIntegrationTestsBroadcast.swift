//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQClient
import RocketMQCommon
import RocketMQRemoting
import Testing

/// Broadcasting consumers (local offsets) and where a consumer without an offset starts.
@Suite("Client integration: broadcasting and consume-from", .timeLimit(.minutes(1)))
struct ClientIntegrationTestsBroadcast {
    static func listening(_ consumer: DefaultMQPushConsumer, _ received: ClientReceived) {
        consumer.registerMessageListener(concurrently: { messages, _ in
            received.add(messages)
            return .consumeSuccess
        })
    }

    static func send(_ producer: DefaultMQProducer, _ topic: String, _ bodies: [String]) async throws {
        for body in bodies { _ = try await producer.send(Message(topic: topic, body: body)) }
    }

    @Test("broadcasting: every member gets every message; local offsets survive a restart")
    func broadcasting() async throws {
        let cluster = try await ClientTestCluster.start()
        let topic = cluster.unique("Broadcast")
        let group = cluster.unique("bg")
        try await cluster.createTopic(topic, queues: 4)
        let producer = try await cluster.startedProducer()
        func member(_ instance: String, _ received: ClientReceived) throws -> DefaultMQPushConsumer {
            let c = cluster.pushConsumer(group, instance: instance)
            c.messageModel = .broadcasting
            try c.subscribe(topic, "*")
            Self.listening(c, received)
            return c
        }
        let r1 = ClientReceived(), r2 = ClientReceived()
        let c1 = try member("bc-1", r1), c2 = try member("bc-2", r2)
        try await c1.start()
        try await c2.start()
        let first = (0..<20).map { "first-\($0)" }
        try await Self.send(producer, topic, first)
        #expect(await clientEventually { r1.bodies == Set(first) && r2.bodies == Set(first) })
        #expect(clientOwned(c1, topic).count == 4 && clientOwned(c2, topic).count == 4)

        // Restart member 1 with the same client id: it resumes from its offset file, not from the start.
        await c1.shutdown()
        let second = (0..<10).map { "second-\($0)" }
        try await Self.send(producer, topic, second)
        #expect(await clientEventually { r2.bodies == Set(first + second) })
        let r1b = ClientReceived()
        let c1b = try member("bc-1", r1b)
        try await c1b.start()
        #expect(await clientEventually { r1b.bodies == Set(second) })
        // Markers: a later batch over every queue. Each queue is pulled in order, so once these are in, a stray
        // replay of "first-*" (older offsets in the same queues) would have been delivered before them.
        let third = (0..<8).map { "third-\($0)" }
        try await Self.send(producer, topic, third)
        #expect(await clientEventually { r1b.bodies == Set(second + third) }, "\(r1b.bodies.sorted())")
        #expect(r1b.bodies.isDisjoint(with: Set(first)))
        await c1b.shutdown()
        await c2.shutdown()
        await producer.shutdown()
        await cluster.shutdown()
    }

    @Test("consume from first, last and timestamp (broadcasting, so no broker offset exists)")
    func consumeFromWhere() async throws {
        let cluster = try await ClientTestCluster.start()
        let topic = cluster.unique("From")
        try await cluster.createTopic(topic, queues: 2)
        let producer = try await cluster.startedProducer()
        let old = (0..<6).map { "old-\($0)" }
        var lastStore: Int64 = 0
        let admin = MQAdmin(clientConfig: cluster.clientConfig())
        for body in old {
            let r = try await producer.send(Message(topic: topic, body: body))
            lastStore = max(lastStore, try await admin.viewMessage(offsetMsgID: r.offsetMsgID).storeTimestamp)
        }
        await admin.shutdown()
        // The timestamp has second resolution: wait for the next second after the last old store time.
        #expect(await clientEventually(.seconds(3)) { Clock.millis() / 1000 > lastStore / 1000 })
        let stamp = ConsumeTimestamp.format(millis: Clock.millis())

        func consumer(_ from: ConsumeFromWhere, _ received: ClientReceived) throws -> DefaultMQPushConsumer {
            let c = cluster.pushConsumer(cluster.unique("fg"))
            c.messageModel = .broadcasting
            c.consumeFromWhere = from
            c.consumeTimestamp = stamp
            try c.subscribe(topic, "*")
            Self.listening(c, received)
            return c
        }
        let rFirst = ClientReceived(), rLast = ClientReceived(), rStamp = ClientReceived()
        let cFirst = try consumer(.consumeFromFirstOffset, rFirst)
        let cLast = try consumer(.consumeFromLastOffset, rLast)
        try await cFirst.start()
        try await cLast.start()
        // A queue is listed as assigned once its start offset (the max offset here) is computed; start()'s
        // own rebalance may be skipped while the instance's loop is mid-rebalance, so wait for both.
        #expect(await clientEventually { clientOwned(cLast, topic).count == 2 })
        let new = (0..<4).map { "new-\($0)" }
        try await Self.send(producer, topic, new)
        let cStamp = try consumer(.consumeFromTimestamp, rStamp)
        try await cStamp.start()

        #expect(await clientEventually { rFirst.bodies == Set(old + new) })
        #expect(await clientEventually { rLast.bodies == Set(new) })
        #expect(await clientEventually { rStamp.bodies == Set(new) })
        try await Task.sleep(for: .milliseconds(300))
        #expect(rLast.bodies == Set(new), "consume-from-last saw \(rLast.bodies.sorted())")
        #expect(rStamp.bodies == Set(new), "consume-from-timestamp saw \(rStamp.bodies.sorted())")
        for c in [cFirst, cLast, cStamp] { await c.shutdown() }
        await producer.shutdown()
        await cluster.shutdown()
    }

    @Test("clustering: a new group on a queue that still starts at 0 reads from 0 even with consume-from-last (upstream)")
    func clusteringNewGroupStartsAtZero() async throws {
        let cluster = try await ClientTestCluster.start()
        let topic = cluster.unique("Hot")
        try await cluster.createTopic(topic, queues: 1)
        let producer = try await cluster.startedProducer()
        try await Self.send(producer, topic, ["a", "b"])
        let received = ClientReceived()
        let c = cluster.pushConsumer(cluster.unique("cg"))
        c.consumeFromWhere = .consumeFromLastOffset
        try c.subscribe(topic, "*")
        Self.listening(c, received)
        try await c.start()
        #expect(await clientEventually { received.bodies == ["a", "b"] })
        await c.shutdown()
        await producer.shutdown()
        await cluster.shutdown()
    }
}
