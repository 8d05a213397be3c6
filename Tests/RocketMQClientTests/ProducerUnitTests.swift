//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting
import Testing

@testable import RocketMQClient

@Suite struct ProducerUnitTests {
    @Test func sendResultDescriptionMatchesUpstream() {
        let r = SendResult(sendStatus: .sendOK, msgID: "AC11000100002A9F0000000000000001",
                           offsetMsgID: "7F00000100002A9F0000000000000064",
                           messageQueue: MessageQueue(topic: "TopicTest", brokerName: "broker-a", queueID: 3),
                           queueOffset: 42)
        #expect(r.description == "SendResult [sendStatus=SEND_OK, msgId=AC11000100002A9F0000000000000001, "
            + "offsetMsgId=7F00000100002A9F0000000000000064, messageQueue=MessageQueue [topic=TopicTest, "
            + "brokerName=broker-a, queueId=3], queueOffset=42]")
    }

    @Test func batchRecordGoldenBytes() {
        var m = Message(topic: "T", flag: 1, body: Array("ab".utf8))
        m.properties = ["UNIQ_KEY": "X"]
        let bytes = MessageBatch.encode(m)
        let expected: [UInt8] = [
            0, 0, 0, 34,  // TOTALSIZE = 20 + 2 + 2 + 10
            0, 0, 0, 0,  // MAGICCODE
            0, 0, 0, 0,  // BODYCRC
            0, 0, 0, 1,  // FLAG
            0, 0, 0, 2, 0x61, 0x62,  // BODYLEN + BODY
            0, 10,  // PROPERTIESLEN
        ] + Array("UNIQ_KEY".utf8) + [1] + Array("X".utf8)
        #expect(bytes == expected)
        #expect(MessageBatch.encode([m, m]) == expected + expected)
    }

    @Test func batchRulesAreEnforced() {
        let a = Message(topic: "A", body: "x")
        let b = Message(topic: "B", body: "x")
        #expect(throws: ClientError.self) { try MessageBatch.validate([a, b]) }
        #expect(throws: ClientError.self) { try MessageBatch.validate([]) }
        var delayed = a
        delayed.delayTimeLevel = 3
        #expect(throws: ClientError.self) { try MessageBatch.validate([a, delayed]) }
        #expect(throws: ClientError.self) { try MessageBatch.validate([Message(topic: "%RETRY%G", body: "x")]) }
        #expect(throws: Never.self) { try MessageBatch.validate([a, a]) }
    }

    @Test func messageValidation() {
        func problem(_ m: Message, max: Int = 4 * 1024 * 1024) -> String? {
            do { try Validators.checkMessage(m, maxMessageSize: max); return nil } catch { return "\(error)" }
        }
        #expect(problem(Message(topic: "Topic_ok-1%|", body: "x")) == nil)
        #expect(problem(Message(topic: "", body: "x"))?.contains("blank") == true)
        #expect(problem(Message(topic: "bad topic", body: "x"))?.contains("illegal characters") == true)
        #expect(problem(Message(topic: String(repeating: "a", count: 128), body: "x"))?.contains("longer") == true)
        #expect(problem(Message(topic: "SCHEDULE_TOPIC_XXXX", body: "x"))?.contains("forbidden") == true)
        #expect(problem(Message(topic: "T", body: []))?.contains("length is zero") == true)
        #expect(problem(Message(topic: "T", body: [1, 2, 3]), max: 2)?.contains("MAX: 2") == true)
        #expect(throws: ClientError.self) { try Validators.checkGroup("bad group") }
    }

    @Test func faultStrategyAvoidsLastBrokerAndSlowBrokers() {
        let f = MQFaultStrategy()
        let qs = [MessageQueue(topic: "T", brokerName: "a", queueID: 0), MessageQueue(topic: "T", brokerName: "b", queueID: 0)]
        for _ in 0..<10 { #expect(f.select(qs, lastBrokerName: "a", latencyEnabled: false)?.brokerName == "b") }
        f.update(brokerName: "b", latencyMillis: 0, isolation: true)
        for _ in 0..<10 { #expect(f.select(qs, lastBrokerName: nil, latencyEnabled: true)?.brokerName == "a") }
    }

    @Test func clientIDUsesPidForDefaultInstance() {
        let c = ClientConfig(namesrvAddr: "a:1; b:2;", clientIP: "10.0.0.5")
        #expect(c.namesrvAddrList == ["a:1", "b:2"])
        #expect(c.clientID.hasPrefix("10.0.0.5@"))
        #expect(c.clientID != "10.0.0.5@DEFAULT")
        var named = c
        named.instanceName = "inst"
        #expect(named.clientID == "10.0.0.5@inst")
    }

    @Test func consumeTimestampRoundTrips() {
        let millis: Int64 = 1_700_000_000_000
        let text = ConsumeTimestamp.format(millis: millis)
        #expect(text.count == 14)
        #expect(ConsumeTimestamp.parse(text) == millis)
        #expect(ConsumeTimestamp.parse("2023") == nil)
    }
}
