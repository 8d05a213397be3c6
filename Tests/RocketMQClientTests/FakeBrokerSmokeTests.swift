//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import NIOPosix
import RocketMQCommon
import RocketMQRemoting
import Synchronization
import Testing

@testable import RocketMQClient

/// An in-process server that plays name server and broker, answering just enough for a producer.
final class FakeBroker: Sendable {
    let server: RemotingServer
    let seen = Mutex<[RemotingCommand]>([])
    let port = Mutex<Int>(0)
    /// Encoded stored messages of topic `ConsumeTopic`, queue 0, by queue offset.
    let stored = Mutex<[[UInt8]]>([])
    /// Client ids seen in heartbeats, by consumer group; and the last heartbeat's connection.
    let members = Mutex<[String: Set<String>]>([:])
    let lastClientChannel = Mutex<(any Channel)?>(nil)

    init() {
        let box = Mutex<FakeBroker?>(nil)
        var table = ProcessorTable()
        let lane = ExecutionLane(name: "fake", capacity: 100)
        let processor = ClosureProcessor { request, context in
            guard let me = box.withLock({ $0 }) else { return .response(.systemError) }
            if request.requestCode == .pullMessage { return await me.pull(request) }
            if request.requestCode == .heartBeat {
                me.lastClientChannel.withLock { $0 = context.channel }
                if let data = try? HeartbeatData(body: request.body) {
                    me.members.withLock { m in
                        for c in data.consumerDataSet { m[c.groupName, default: []].insert(data.clientID) }
                    }
                }
            }
            return me.handle(request)
        }
        try? table.register(processor, for: .getRouteInfoByTopic, .sendMessageV2, .sendBatchMessage, .heartBeat,
                            .unregisterClient, .getConsumerListByGroup, .queryConsumerOffset, .getMaxOffset,
                            .updateConsumerOffset, .consumerSendMsgBack, .pullMessage, .lockBatchMQ, .unlockBatchMQ,
                            .endTransaction, lane: lane)
        server = RemotingServer(configuration: .init(host: "127.0.0.1", port: 0), processors: table,
                                group: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "fake-broker"))
        box.withLock { $0 = self }
    }

    func start() async throws -> String {
        let p = try await server.start()
        port.withLock { $0 = p }
        return "127.0.0.1:\(p)"
    }

    func handle(_ request: RemotingCommand) -> RemotingCommand {
        seen.withLock { $0.append(request) }
        let address = "127.0.0.1:\(port.withLock { $0 })"
        switch request.requestCode {
        case .getRouteInfoByTopic:
            let route = TopicRouteData(
                queueDatas: [QueueData(brokerName: "broker-a", readQueueNums: 4, writeQueueNums: 4, perm: 6)],
                brokerDatas: [BrokerData(cluster: "DefaultCluster", brokerName: "broker-a", brokerAddrs: [0: address])])
            return .response(.success, body: route.encodedBody())
        case .sendMessageV2, .sendBatchMessage:
            let queueID = request.extFields["e"].flatMap { Int32($0) } ?? 0
            let offsetID = MessageID.offsetMessageID(storeHost: SocketAddressBytes(ipv4HostPort: address) ?? .zero,
                                                     commitLogOffset: 4096)
            var response = RemotingCommand.response(.success, header: SendMessageResponseHeader(
                msgID: offsetID, queueID: queueID, queueOffset: 7))
            response.extFields["MSG_REGION"] = "DefaultRegion"
            response.extFields["TRACE_ON"] = "true"
            return response
        case .getConsumerListByGroup:
            let group = request.extFields["consumerGroup"] ?? ""
            return .response(.success, body: GetConsumerListByGroupResponseBody(
                consumerIdList: members.withLock { Array($0[group] ?? []) }).encodedBody())
        case .lockBatchMQ:
            guard let body = try? LockBatchRequestBody(body: request.body) else { return .response(.systemError) }
            return .response(.success, body: LockBatchResponseBody(lockOKMQSet: body.mqSet).encodedBody())
        case .queryConsumerOffset:
            return .response(.queryNotFound, remark: "maybe this group consumer boot first")
        case .getMaxOffset:
            return .response(.success, header: OffsetResponseHeader(offset: 0))
        default:
            return .response(.success)
        }
    }

    /// Serves stored messages of ConsumeTopic queue 0; anything else waits a little and says "no new message".
    func pull(_ request: RemotingCommand) async -> RemotingCommand {
        seen.withLock { $0.append(request) }
        let offset = request.extFields["queueOffset"].flatMap { Int64($0) } ?? 0
        let maxNums = request.extFields["maxMsgNums"].flatMap { Int($0) } ?? 32
        let records = stored.withLock { $0 }
        if request.extFields["topic"] == "ConsumeTopic" && request.extFields["queueId"] == "0"
            && offset < Int64(records.count)
        {
            let slice = records[Int(offset)..<min(records.count, Int(offset) + maxNums)]
            let next = offset + Int64(slice.count)
            return .response(.success, remark: "FOUND", header: PullMessageResponseHeader(
                suggestWhichBrokerID: 0, nextBeginOffset: next, minOffset: 0, maxOffset: Int64(records.count)),
                body: ByteBuffer(bytes: slice.flatMap { $0 }))
        }
        try? await Task.sleep(for: .milliseconds(100))
        return .response(.pullNotFound, remark: "OFFSET_OVERFLOW_ONE", header: PullMessageResponseHeader(
            suggestWhichBrokerID: 0, nextBeginOffset: offset, minOffset: 0, maxOffset: offset))
    }

    func requests(_ code: RequestCode) -> [RemotingCommand] { seen.withLock { $0.filter { $0.code == code.rawValue } } }
}

@Suite(.timeLimit(.minutes(1))) struct FakeBrokerSmokeTests {
    @Test func producerSendsOverTCPWithV2Header() async throws {
        let broker = FakeBroker()
        let address = try await broker.start()
        var config = ClientConfig(namesrvAddr: address, clientIP: "127.0.0.1", instanceName: "smoke-\(Int.random(in: 0..<1_000_000))")
        config.heartbeatBrokerInterval = .seconds(1)
        let producer = DefaultMQProducer(producerGroup: "SmokePG", clientConfig: config)
        try await producer.start()

        var message = Message(topic: "SmokeTopic", tags: "TagA", keys: "k1", body: "Hello RocketMQ")
        message.putUserProperty("color", "red")
        let result = try await producer.send(message)
        #expect(result.sendStatus == .sendOK)
        #expect(result.queueOffset == 7)
        #expect(result.messageQueue.topic == "SmokeTopic" && result.messageQueue.brokerName == "broker-a")
        #expect(result.msgID.count == 32)
        #expect(result.offsetMsgID.hasPrefix("7F000001"))

        let sends = broker.requests(.sendMessageV2)
        #expect(sends.count == 1)
        let send = try #require(sends.first)
        #expect(Set(send.extFields.keys) == ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "m", "n"])
        #expect(send.extFields["a"] == "SmokePG")
        #expect(send.extFields["b"] == "SmokeTopic")
        #expect(send.extFields["c"] == "TBW102")
        #expect(send.extFields["d"] == "4")
        #expect(send.extFields["f"] == "0")
        #expect(send.extFields["k"] == "false")
        #expect(send.extFields["m"] == "false")
        #expect(send.bodyBytes == Array("Hello RocketMQ".utf8))
        let properties = MessageProperties.decode(send.extFields["i"] ?? "")
        #expect(properties["TAGS"] == "TagA")
        #expect(properties["KEYS"] == "k1")
        #expect(properties["color"] == "red")
        #expect(properties["UNIQ_KEY"] == result.msgID)
        #expect(send.language == .other)

        // Compression above 4 KiB sets the compressed bit and the zlib type bits.
        let big = Message(topic: "SmokeTopic", body: Array(repeating: UInt8(ascii: "a"), count: 10_000))
        _ = try await producer.send(big)
        let bigSend = try #require(broker.requests(.sendMessageV2).last)
        #expect(bigSend.extFields["f"] == String(MessageSysFlag.compressed | MessageSysFlag.compressionZLIB))
        #expect(bigSend.bodyBytes.count < 10_000)

        // Batch: code 320, batch flag, §6.5 body.
        let batch = [Message(topic: "SmokeTopic", body: "one"), Message(topic: "SmokeTopic", body: "two")]
        let batchResult = try await producer.send(batch)
        #expect(batchResult.msgID.split(separator: ",").count == 2)
        let batchSend = try #require(broker.requests(.sendBatchMessage).first)
        #expect(batchSend.extFields["m"] == "true")
        #expect(batchSend.bodyBytes.prefix(4) == [0, 0, 0, UInt8(20 + 3 + 2 + 41)])

        // Heartbeat on start carries the producer group.
        try await Task.sleep(for: .milliseconds(1500))
        let heartbeat = try #require(broker.requests(.heartBeat).last)
        #expect(String(decoding: heartbeat.bodyBytes, as: UTF8.self).contains("SmokePG"))

        await producer.shutdown()
        #expect(broker.requests(.unregisterClient).count >= 1)
        await broker.server.shutdown()
    }

    @Test func sendWithoutStartFails() async {
        let producer = DefaultMQProducer(producerGroup: "PG", namesrvAddr: "127.0.0.1:1")
        await #expect(throws: ClientError.self) { try await producer.send(Message(topic: "T", body: "x")) }
    }
}

@Suite(.timeLimit(.minutes(1))) struct FakeBrokerConsumerTests {
    @Test func pushConsumerPullsFiltersConsumesAndSendsBack() async throws {
        let broker = FakeBroker()
        let address = try await broker.start()
        broker.stored.withLock { records in
            for i in 0..<6 {
                let tag = i == 3 ? "TagB" : "TagA"
                let body = i == 4 ? "fail-me" : "m\(i)"
                records.append(FakeStoredRecord.encode(
                    topic: "ConsumeTopic", queueID: 0, queueOffset: Int64(i), commitLogOffset: Int64(1000 + i),
                    properties: ["TAGS": tag, "UNIQ_KEY": "U\(i)"], body: Array(body.utf8)))
            }
        }
        var config = ClientConfig(namesrvAddr: address, clientIP: "127.0.0.1", instanceName: "smoke-consumer")
        config.persistConsumerOffsetInterval = .milliseconds(300)
        config.rebalanceInterval = .seconds(1)
        let consumer = DefaultMQPushConsumer(consumerGroup: "SmokeCG", clientConfig: config)
        consumer.consumeFromWhere = .consumeFromFirstOffset
        try consumer.subscribe("ConsumeTopic", "TagA")
        let received = Mutex<[String]>([])
        consumer.registerMessageListener(concurrently: { messages, context in
            let bodies = messages.map(\.bodyString)
            received.withLock { $0 += bodies }
            if bodies.contains("fail-me") {
                context.delayLevelWhenNextConsume = 0
                return .reconsumeLater
            }
            return .consumeSuccess
        })
        try await consumer.start()

        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let offsets = broker.requests(.updateConsumerOffset).filter { $0.extFields["topic"] == "ConsumeTopic" && $0.extFields["queueId"] == "0" }
            if consumer.consumedMessageCount == 4 && offsets.last?.extFields["commitOffset"] == "6" { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(Set(received.withLock { $0 }) == ["m0", "m1", "m2", "fail-me", "m5"])
        #expect(consumer.consumedMessageCount == 4)
        #expect(consumer.failedMessageCount == 1)
        let back = try #require(broker.requests(.consumerSendMsgBack).first)
        #expect(back.extFields["offset"] == "1004")
        #expect(back.extFields["group"] == "SmokeCG")
        #expect(back.extFields["delayLevel"] == "0")
        #expect(back.extFields["originMsgId"] == "U4")
        #expect(back.extFields["originTopic"] == "ConsumeTopic")
        let lastOffset = broker.requests(.updateConsumerOffset).filter { $0.extFields["topic"] == "ConsumeTopic" && $0.extFields["queueId"] == "0" }.last
        #expect(lastOffset?.extFields["commitOffset"] == "6")
        #expect(lastOffset?.extFields["consumerGroup"] == "SmokeCG")

        let pulls = broker.requests(.pullMessage)
        let first = try #require(pulls.first { $0.extFields["topic"] == "ConsumeTopic" })
        #expect(first.extFields["subscription"] == "TagA")
        #expect(first.extFields["suspendTimeoutMillis"] == "15000")
        #expect(first.extFields["maxMsgNums"] == "32")
        #expect(pulls.contains { $0.extFields["topic"] == "%RETRY%SmokeCG" })
        let heartbeat = try #require(broker.requests(.heartBeat).last)
        let text = String(decoding: heartbeat.bodyBytes, as: UTF8.self)
        #expect(text.contains("\"groupName\":\"SmokeCG\"") && text.contains("CONSUME_PASSIVELY")
            && text.contains("%RETRY%SmokeCG"))

        await consumer.shutdown()
        #expect(broker.requests(.unregisterClient).contains { $0.extFields["consumerGroup"] == "SmokeCG" })
        await broker.server.shutdown()
    }
}
