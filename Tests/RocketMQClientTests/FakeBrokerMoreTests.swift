//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import RocketMQCommon
import RocketMQRemoting
import Synchronization
import Testing

@testable import RocketMQClient

extension FakeBroker {
    /// Stores messages `m0…m(n-1)` in ConsumeTopic queue 0.
    func fill(_ count: Int) {
        stored.withLock { records in
            for i in 0..<count {
                records.append(FakeStoredRecord.encode(
                    topic: "ConsumeTopic", queueID: 0, queueOffset: Int64(i), commitLogOffset: Int64(1000 + i),
                    properties: ["TAGS": "TagA", "UNIQ_KEY": "U\(i)"], body: Array("m\(i)".utf8)))
            }
        }
    }

    static func config(_ address: String, _ name: String) -> ClientConfig {
        var config = ClientConfig(namesrvAddr: address, clientIP: "127.0.0.1", instanceName: name)
        config.persistConsumerOffsetInterval = .milliseconds(200)
        config.rebalanceInterval = .seconds(1)
        config.heartbeatBrokerInterval = .seconds(1)
        return config
    }
}

func waitUntil(_ seconds: Int = 20, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while !condition() && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
}

@Suite(.timeLimit(.minutes(1))) struct FakeBrokerMoreTests {
    @Test func orderlyConsumerKeepsOrderAndRetriesSuspendedBatch() async throws {
        let broker = FakeBroker()
        let address = try await broker.start()
        broker.fill(6)
        let consumer = DefaultMQPushConsumer(consumerGroup: "OrderCG", clientConfig: FakeBroker.config(address, "orderly"))
        consumer.consumeFromWhere = .consumeFromFirstOffset
        consumer.suspendCurrentQueueTimeMillis = 100
        try consumer.subscribe("ConsumeTopic", "*")
        let seen = Mutex<[String]>([])
        let failedOnce = Mutex(false)
        consumer.registerMessageListener(orderly: { messages, _ in
            let body = messages[0].bodyString
            seen.withLock { $0.append(body) }
            if body == "m2" && !failedOnce.withLock({ f in defer { f = true }; return f }) {
                return .suspendCurrentQueueAMoment
            }
            return .success
        })
        try await consumer.start()
        try await waitUntil { consumer.consumedMessageCount == 6 && consumer.committedOffset(
            MessageQueue(topic: "ConsumeTopic", brokerName: "broker-a", queueID: 0)) == 6 }
        #expect(seen.withLock { $0 } == ["m0", "m1", "m2", "m2", "m3", "m4", "m5"])
        #expect(consumer.failedMessageCount == 1)
        #expect(!broker.requests(.lockBatchMQ).isEmpty)
        await consumer.shutdown()
        try await waitUntil(5) { !broker.requests(.unlockBatchMQ).isEmpty }
        #expect(!broker.requests(.unlockBatchMQ).isEmpty)
        await broker.server.shutdown()
    }

    @Test func litePullConsumerPollsSeeksAndStreams() async throws {
        let broker = FakeBroker()
        let address = try await broker.start()
        broker.fill(5)
        let consumer = DefaultLitePullConsumer(consumerGroup: "LiteCG", clientConfig: FakeBroker.config(address, "lite"))
        consumer.consumeFromWhere = .consumeFromFirstOffset
        let queue = MessageQueue(topic: "ConsumeTopic", brokerName: "broker-a", queueID: 0)
        try consumer.assign([queue])
        try await consumer.start()
        var polled: [String] = []
        let deadline = ContinuousClock.now + .seconds(10)
        while polled.count < 5 && ContinuousClock.now < deadline {
            polled += try await consumer.poll(timeout: .milliseconds(500)).map(\.bodyString)
        }
        #expect(polled == ["m0", "m1", "m2", "m3", "m4"])
        #expect(await consumer.committed(queue) == 5)

        try consumer.seek(queue, offset: 3)
        var streamed: [String] = []
        for try await message in consumer.messages {
            streamed.append(message.bodyString)
            if streamed.count == 2 { break }
        }
        #expect(streamed == ["m3", "m4"])

        await consumer.commitSync()
        // UPDATE_CONSUMER_OFFSET is oneway: wait for it to arrive.
        try await waitUntil(5) {
            broker.requests(.updateConsumerOffset).contains { $0.extFields["queueId"] == "0" && $0.extFields["commitOffset"] == "5" }
        }
        let commits = broker.requests(.updateConsumerOffset).filter { $0.extFields["queueId"] == "0" }
        #expect(commits.last?.extFields["commitOffset"] == "5")
        await consumer.shutdown()
        await broker.server.shutdown()
    }

    struct Listener: TransactionListener {
        func executeLocalTransaction(_ message: Message, arg: (any Sendable)?) async -> LocalTransactionState {
            .commitMessage
        }
        func checkLocalTransaction(_ message: MessageExt) async -> LocalTransactionState { .rollbackMessage }
    }

    @Test func transactionProducerEndsAndAnswersChecks() async throws {
        let broker = FakeBroker()
        let address = try await broker.start()
        let producer = TransactionMQProducer(producerGroup: "TxPG", clientConfig: FakeBroker.config(address, "tx"),
                                             listener: Listener())
        try await producer.start()
        let result = try await producer.sendMessageInTransaction(Message(topic: "TxTopic", body: "tx"))
        #expect(result.localTransactionState == .commitMessage)
        let half = try #require(broker.requests(.sendMessageV2).first)
        let properties = MessageProperties.decode(half.extFields["i"] ?? "")
        #expect(properties["TRAN_MSG"] == "true" && properties["PGROUP"] == "TxPG")
        #expect(half.extFields["f"] == String(MessageSysFlag.transactionPreparedType))
        try await waitUntil(5) { !broker.requests(.endTransaction).isEmpty }
        let end = try #require(broker.requests(.endTransaction).first)
        #expect(end.isOneway)
        #expect(end.extFields["commitOrRollback"] == "8")
        #expect(end.extFields["commitLogOffset"] == "4096")
        #expect(end.extFields["tranStateTableOffset"] == "7")
        #expect(end.extFields["fromTransactionCheck"] == "false")
        #expect(end.extFields["msgId"] == result.sendResult.msgID)

        // The broker asks about a half message; the listener says rollback.
        try await waitUntil(5) { broker.lastClientChannel.withLock { $0 } != nil }
        let channel = try #require(broker.lastClientChannel.withLock { $0 })
        let stored = FakeStoredRecord.encode(topic: "TxTopic", queueID: 0, queueOffset: 9, commitLogOffset: 5000,
                                                 properties: ["PGROUP": "TxPG", "UNIQ_KEY": "CHK1", "TRAN_MSG": "true"],
                                                 body: Array("tx".utf8))
        let check = RemotingCommand.request(.checkTransactionState, header: CheckTransactionStateRequestHeader(
            tranStateTableOffset: 9, commitLogOffset: 5000, msgID: "CHK1", transactionID: "CHK1", offsetMsgID: nil),
            body: ByteBuffer(bytes: stored))
        try await broker.server.invokeOneway(check, on: channel)
        try await waitUntil(5) { broker.requests(.endTransaction).count >= 2 }
        let answer = try #require(broker.requests(.endTransaction).last)
        #expect(answer.extFields["fromTransactionCheck"] == "true")
        #expect(answer.extFields["commitOrRollback"] == "12")
        #expect(answer.extFields["commitLogOffset"] == "5000")
        #expect(answer.extFields["tranStateTableOffset"] == "9")
        #expect(answer.extFields["msgId"] == "CHK1")
        await producer.shutdown()
        await broker.server.shutdown()
    }
}

@Suite(.timeLimit(.minutes(1))) struct FakeBrokerBroadcastTests {
    @Test func broadcastingConsumerKeepsOffsetsInALocalFile() async throws {
        let broker = FakeBroker()
        let address = try await broker.start()
        broker.fill(3)
        var config = FakeBroker.config(address, "broadcast")
        let dir = "/tmp/rocketmq-client-tests-\(Int.random(in: 0..<1_000_000_000))"
        config.localOffsetStoreDir = dir
        let consumer = DefaultMQPushConsumer(consumerGroup: "BroadcastCG", clientConfig: config)
        consumer.messageModel = .broadcasting
        consumer.consumeFromWhere = .consumeFromFirstOffset
        try consumer.subscribe("ConsumeTopic", "*")
        consumer.registerMessageListener(concurrently: { _, _ in .consumeSuccess })
        try await consumer.start()
        try await waitUntil { consumer.consumedMessageCount == 3 }
        #expect(consumer.consumedMessageCount == 3)
        #expect(!broker.requests(.pullMessage).contains { $0.extFields["topic"]?.hasPrefix("%RETRY%") == true })
        await consumer.shutdown()
        let path = "\(dir)/127.0.0.1@broadcast/BroadcastCG/offsets.json"
        let text = try #require(FileIO.readString(path))
        let offsets = ResetOffsetBody(json: try JSONParser.parse(text)).offsetTable
        #expect(offsets[MessageQueue(topic: "ConsumeTopic", brokerName: "broker-a", queueID: 0)] == 3)
        #expect(broker.requests(.updateConsumerOffset).isEmpty)
        // Clean up: the file, its backup, then the folders up to the temporary base.
        for file in [path, path + ".bak"] { _ = unlink(file) }
        for folder in ["\(dir)/127.0.0.1@broadcast/BroadcastCG", "\(dir)/127.0.0.1@broadcast", dir] { _ = rmdir(folder) }
        await broker.server.shutdown()
    }
}
