//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQClient
import RocketMQCommon
import Synchronization
import Testing

/// A listener whose answers the test controls: local outcome by body, check outcome switchable.
final class ClientScriptedTransactionListener: TransactionListener {
    let checkAnswer: Mutex<LocalTransactionState>
    let checks = Mutex<[String]>([])

    init(check: LocalTransactionState) { checkAnswer = Mutex(check) }

    func executeLocalTransaction(_ message: Message, arg: (any Sendable)?) async -> LocalTransactionState {
        switch message.bodyString {
        case let b where b.hasPrefix("commit"): .commitMessage
        case let b where b.hasPrefix("rollback"): .rollbackMessage
        default: .unknow
        }
    }

    func checkLocalTransaction(_ message: MessageExt) async -> LocalTransactionState {
        checks.withLock { $0.append(message.bodyString) }
        return checkAnswer.withLock { $0 }
    }
}

/// Transactional producer against the broker's half-message store and check-back service.
@Suite("Client integration: transactions", .timeLimit(.minutes(1)))
struct ClientIntegrationTestsTransaction {
    static func startCluster() async throws -> ClientTestCluster {
        try await ClientTestCluster.start {
            $0.transactionCheckInterval = 500
            $0.transactionTimeOut = 500
        }
    }

    static func consume(_ cluster: ClientTestCluster, _ topic: String) async throws -> (DefaultMQPushConsumer, ClientReceived) {
        let received = ClientReceived()
        let consumer = cluster.pushConsumer(cluster.unique("cg"))
        try consumer.subscribe(topic, "*")
        consumer.registerMessageListener(concurrently: { messages, _ in
            received.add(messages)
            return .consumeSuccess
        })
        try await consumer.start()
        return (consumer, received)
    }

    static func producer(_ cluster: ClientTestCluster, group: String, listener: ClientScriptedTransactionListener)
        -> TransactionMQProducer
    {
        TransactionMQProducer(producerGroup: group, clientConfig: cluster.clientConfig(), listener: listener,
                              logger: ClientTestCluster.makeLogger("tx"))
    }

    @Test("commit is visible, rollback never is, unknown is resolved by a check-back")
    func commitRollbackCheck() async throws {
        let cluster = try await Self.startCluster()
        let topic = cluster.unique("Tx")
        try await cluster.createTopic(topic, queues: 1)
        let listener = ClientScriptedTransactionListener(check: .commitMessage)
        let producer = Self.producer(cluster, group: cluster.unique("txg"), listener: listener)
        try await producer.start()
        let (consumer, received) = try await Self.consume(cluster, topic)

        let c = try await producer.sendMessageInTransaction(Message(topic: topic, body: "commit-1"))
        #expect(c.localTransactionState == .commitMessage)
        let r = try await producer.sendMessageInTransaction(Message(topic: topic, body: "rollback-1"))
        #expect(r.localTransactionState == .rollbackMessage)
        let u = try await producer.sendMessageInTransaction(Message(topic: topic, body: "unknown-1"))
        #expect(u.localTransactionState == .unknow)

        #expect(await clientEventually { received.bodies == ["commit-1", "unknown-1"] })
        #expect(listener.checks.withLock { $0 }.contains("unknown-1"))
        // The committed message carries the client's id.
        #expect(received.all.first { $0.bodyString == "commit-1" }?.msgID == c.sendResult.msgID)
        // Marker: a later unknown transaction, resolved by a later check pass. Once it has been checked and
        // consumed, the check service has scanned past rollback-1's half message again, and anything rollback-1
        // had put into the (single) queue would have been consumed before the marker.
        let marker = try await producer.sendMessageInTransaction(Message(topic: topic, body: "unknown-2"))
        #expect(marker.localTransactionState == .unknow)
        #expect(await clientEventually { received.bodies == ["commit-1", "unknown-1", "unknown-2"] },
                "\(received.bodies)")
        #expect(listener.checks.withLock { $0 }.contains("unknown-2"))
        #expect(!received.bodies.contains("rollback-1"))
        #expect(!listener.checks.withLock { $0 }.contains("rollback-1"))
        await consumer.shutdown()
        await producer.shutdown()
        await cluster.shutdown()
    }

    @Test("a committed transactional message reaches consumers with TRAN_MSG=true and its producer group, as from a Java broker")
    func committedMessageKeepsTransactionProperties() async throws {
        let cluster = try await Self.startCluster()
        let topic = cluster.unique("TxProps")
        let group = cluster.unique("txg")
        try await cluster.createTopic(topic, queues: 1)
        let listener = ClientScriptedTransactionListener(check: .commitMessage)
        let producer = Self.producer(cluster, group: group, listener: listener)
        try await producer.start()
        let (consumer, received) = try await Self.consume(cluster, topic)

        // One committed by the producer's END_TRANSACTION, one by the answer to a check-back.
        _ = try await producer.sendMessageInTransaction(Message(topic: topic, body: "commit-props"))
        _ = try await producer.sendMessageInTransaction(Message(topic: topic, body: "unknown-props"))
        #expect(await clientEventually { received.bodies == ["commit-props", "unknown-props"] })
        for m in received.all {
            #expect(m.properties[MessageConst.transactionPrepared] == "true", "\(m.bodyString): \(m.properties)")
            #expect(m.properties[MessageConst.producerGroup] == group, "\(m.bodyString): \(m.properties)")
            #expect(m.topic == topic && m.queueID == 0)
            #expect(MessageSysFlag.transactionValue(m.sysFlag) == MessageSysFlag.transactionCommitType)
        }
        await consumer.shutdown()
        await producer.shutdown()
        await cluster.shutdown()
    }

    @Test("unknown, producer restarts: a new producer of the same group answers the check")
    func checkAfterProducerRestart() async throws {
        let cluster = try await Self.startCluster()
        let topic = cluster.unique("TxRestart")
        let group = cluster.unique("txg")
        try await cluster.createTopic(topic, queues: 1)
        let first = ClientScriptedTransactionListener(check: .unknow)
        let p1 = Self.producer(cluster, group: group, listener: first)
        try await p1.start()
        _ = try await p1.sendMessageInTransaction(Message(topic: topic, body: "pending-1"))
        await p1.shutdown()

        let (consumer, received) = try await Self.consume(cluster, topic)
        let second = ClientScriptedTransactionListener(check: .commitMessage)
        let p2 = Self.producer(cluster, group: group, listener: second)
        try await p2.start()
        #expect(await clientEventually { received.bodies == ["pending-1"] })
        #expect(second.checks.withLock { $0 }.contains("pending-1"))
        await consumer.shutdown()
        await p2.shutdown()
        await cluster.shutdown()
    }

    @Test("unknown, broker restarts: the half message is still checked and committed afterwards")
    func checkAfterBrokerRestart() async throws {
        let cluster = try await Self.startCluster()
        let topic = cluster.unique("TxBroker")
        try await cluster.createTopic(topic, queues: 1)
        let listener = ClientScriptedTransactionListener(check: .unknow)
        let producer = Self.producer(cluster, group: cluster.unique("txg"), listener: listener)
        try await producer.start()
        _ = try await producer.sendMessageInTransaction(Message(topic: topic, body: "survivor-1"))
        #expect(await clientEventually { listener.checks.withLock { $0 }.contains("survivor-1") })

        try await cluster.restartBroker()
        listener.checks.withLock { $0.removeAll() }
        listener.checkAnswer.withLock { $0 = .commitMessage }
        let (consumer, received) = try await Self.consume(cluster, topic)
        #expect(await clientEventually(.seconds(30)) { received.bodies == ["survivor-1"] },
                "checks after restart: \(listener.checks.withLock { $0 })")
        await consumer.shutdown()
        await producer.shutdown()
        await cluster.shutdown()
    }
}
