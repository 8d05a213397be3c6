//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQClient
import RocketMQCommon
import RocketMQRemoting
import Synchronization
import Testing

/// Clustering push consumers: rebalance when members join and leave, and orderly consumption.
@Suite("Client integration: clustering and orderly consumers", .timeLimit(.minutes(1)))
struct ClientIntegrationTestsConsumer {
    /// Sends `count` messages "prefix-i" from a background task, a little at a time.
    static func sendInBackground(_ producer: DefaultMQProducer, topic: String, prefix: String, count: Int)
        -> Task<Int, any Error>
    {
        Task {
            for i in 0..<count {
                _ = try await producer.send(Message(topic: topic, keys: "\(prefix)-\(i)", body: "\(prefix)-\(i)"))
                if i % 20 == 19 { try await Task.sleep(for: .milliseconds(30)) }
            }
            return count
        }
    }

    @Test("clustering: a third consumer joins and one leaves mid-stream; nothing lost, duplicates bounded")
    func rebalanceJoinLeave() async throws {
        let cluster = try await ClientTestCluster.start()
        let topic = cluster.unique("Rebalance")
        let group = cluster.unique("cg")
        try await cluster.createTopic(topic, queues: 8)
        let producer = try await cluster.startedProducer()
        let received = ClientReceived()
        func member() throws -> DefaultMQPushConsumer {
            let c = cluster.pushConsumer(group)
            try c.subscribe(topic, "*")
            c.registerMessageListener(concurrently: { messages, _ in
                received.add(messages)
                return .consumeSuccess
            })
            return c
        }
        let c1 = try member(), c2 = try member(), c3 = try member()
        try await c1.start()
        try await c2.start()
        #expect(await clientEventually(.seconds(5)) { clientOwned(c1, topic).count == 4 && clientOwned(c2, topic).count == 4 },
                "assigned \(clientOwned(c1, topic).count) and \(clientOwned(c2, topic).count)")

        let total = 600
        let sender = Self.sendInBackground(producer, topic: topic, prefix: "m", count: total)
        #expect(await clientEventually { received.count >= 100 })
        try await c3.start()
        // 8 queues over 3 members: 3/3/2, disjoint and complete.
        let balanced = await clientEventually {
            let sets = [clientOwned(c1, topic), clientOwned(c2, topic), clientOwned(c3, topic)]
            return sets.map(\.count).sorted() == [2, 3, 3] && sets.reduce(Set()) { $0.union($1) }.count == 8
        }
        #expect(balanced)
        #expect(await clientEventually { received.count >= 300 })
        await c1.shutdown()
        let rebalanced = await clientEventually {
            clientOwned(c2, topic).count == 4 && clientOwned(c3, topic).count == 4
                && clientOwned(c2, topic).isDisjoint(with: clientOwned(c3, topic))
        }
        #expect(rebalanced)
        #expect(try await sender.value == total)

        let all = await clientEventually { received.bodies.count == total }
        #expect(all, "received \(received.bodies.count) distinct of \(total)")
        #expect(received.bodies == Set((0..<total).map { "m-\($0)" }))
        let duplicates = received.count - received.distinctIDs.count
        // Redelivery only happens for messages in flight while a queue moves (at-least-once).
        #expect(duplicates <= total / 4, "\(duplicates) duplicates")
        print("rebalanceJoinLeave: \(received.count) deliveries, \(duplicates) duplicates")
        await c2.shutdown()
        await c3.shutdown()
        await producer.shutdown()
        await cluster.shutdown()
    }

    @Test("orderly: each key's messages arrive in send order, also while a second consumer joins")
    func orderlyUnderRebalance() async throws {
        let cluster = try await ClientTestCluster.start()
        let topic = cluster.unique("Orderly")
        let group = cluster.unique("cg")
        try await cluster.createTopic(topic, queues: 4)
        let producer = try await cluster.startedProducer()
        let keys = 8, perKey = 40
        // seen[key] = received sequence numbers in delivery order (duplicates kept).
        let seen = Mutex<[Int: [Int]]>([:])
        let violations = Mutex<[String]>([])
        func member() throws -> DefaultMQPushConsumer {
            let c = cluster.pushConsumer(group)
            try c.subscribe(topic, "*")
            c.registerMessageListener(orderly: { messages, _ in
                for m in messages {
                    let parts = m.bodyString.split(separator: "-").compactMap { Int($0) }
                    let (key, seq) = (parts[0], parts[1])
                    seen.withLock { s in
                        // Order: a message may come again (redelivery), but never before its predecessor.
                        if seq > 0 && !(s[key] ?? []).contains(seq - 1) {
                            violations.withLock { $0.append("key \(key) seq \(seq) before \(seq - 1)") }
                        }
                        s[key, default: []].append(seq)
                    }
                }
                return .success
            })
            return c
        }
        let c1 = try member(), c2 = try member()
        try await c1.start()
        let sender = Task {
            for seq in 0..<perKey {
                for key in 0..<keys {
                    _ = try await producer.send(Message(topic: topic, body: "\(key)-\(seq)"),
                                                selector: { qs, _, k in qs[k % qs.count] }, arg: key)
                }
                if seq % 5 == 4 { try await Task.sleep(for: .milliseconds(20)) }
            }
        }
        #expect(await clientEventually { seen.withLock { $0.values.reduce(0) { $0 + $1.count } } >= keys * perKey / 4 })
        try await c2.start()
        #expect(await clientEventually { clientOwned(c1, topic).count == 2 && clientOwned(c2, topic).count == 2 })
        try await sender.value
        let complete = await clientEventually {
            seen.withLock { s in (0..<keys).allSatisfy { Set(s[$0] ?? []).count == perKey } }
        }
        #expect(complete)
        #expect(violations.withLock { $0 }.isEmpty, "\(violations.withLock { $0.prefix(5) })")
        await c1.shutdown()
        await c2.shutdown()
        await producer.shutdown()
        await cluster.shutdown()
    }
}

/// The queues of `topic` a consumer holds (its retry topic's queue is assigned too).
func clientOwned(_ consumer: DefaultMQPushConsumer, _ topic: String) -> Set<MessageQueue> {
    consumer.assignedQueues().filter { $0.topic == topic }
}
