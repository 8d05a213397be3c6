//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQBroker
import RocketMQCommon
import RocketMQDelayLevelPlugin
import RocketMQRemoting
import Testing

/// Arbitrary delivery times (5.x `TIMER_DELIVER_MS` / `TIMER_DELAY_SEC`), beyond the 18 delay levels.
@Suite("Timer messages")
struct TimerMessageTests {
    /// Polls a topic until a message with `body` is there; returns it and when it was seen.
    func waitFor(_ cluster: BrokerTestCluster, topic: String, body: String, seconds: Double) async throws
        -> (MessageExt, Int64)?
    {
        let deadline = Clock.millis() + Int64(seconds * 1000)
        while Clock.millis() < deadline {
            if let m = try await cluster.pullAll(topic: topic).first(where: { $0.bodyString == body }) {
                return (m, Clock.millis())
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return nil
    }

    @Test(.timeLimit(.minutes(1)))
    func deliveredNotEarlyAndAtMostOneSecondLate() async throws {
        try await BrokerTestCluster.with({ _ in }, plugins: { [DelayLevelPlugin()] }) { cluster in
            let due = Clock.millis() + 1500
            try await cluster.sendOK(topic: "TimerTopic", body: "at", user: [MessageConst.timerDeliverMS: String(due)])
            let relative = Clock.millis() + 2000
            try await cluster.sendOK(topic: "TimerTopic", body: "in", user: [MessageConst.timerDelaySec: "2"])
            let (at, seenAt) = try #require(try await waitFor(cluster, topic: "TimerTopic", body: "at", seconds: 10))
            #expect(at.storeTimestamp >= due, "delivered \(due - at.storeTimestamp) ms early")
            #expect(at.storeTimestamp <= due + 1000, "delivered \(at.storeTimestamp - due) ms late")
            #expect(seenAt >= due)
            #expect(at.properties[MessageConst.timerDeliverMS] == nil)
            let (inMsg, _) = try #require(try await waitFor(cluster, topic: "TimerTopic", body: "in", seconds: 10))
            #expect(inMsg.storeTimestamp >= relative - 50 && inMsg.storeTimestamp <= relative + 1000)
            // Exactly once.
            #expect(try await cluster.pullAll(topic: "TimerTopic").filter { $0.bodyString == "at" }.count == 1)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func survivesBrokerRestartWithoutEarlyOrLostDelivery() async throws {
        try await BrokerTestCluster.with({ _ in }, plugins: { [DelayLevelPlugin()] }) { cluster in
            let due = Clock.millis() + 2500
            try await cluster.sendOK(topic: "TimerRestart", body: "later", user: [MessageConst.timerDeliverMS: String(due)])
            try await cluster.sendOK(topic: "TimerRestart", body: "soon",
                                     user: [MessageConst.timerDeliverMS: String(Clock.millis() + 300)])
            _ = try #require(try await waitFor(cluster, topic: "TimerRestart", body: "soon", seconds: 5))
            try await cluster.restartBroker()
            #expect(try await cluster.pullAll(topic: "TimerRestart").contains { $0.bodyString == "later" } == (Clock.millis() >= due))
            let (m, _) = try #require(try await waitFor(cluster, topic: "TimerRestart", body: "later", seconds: 10))
            #expect(m.storeTimestamp >= due)
            #expect(m.storeTimestamp <= due + 1000)
            try await Task.sleep(nanoseconds: 300_000_000)
            let all = try await cluster.pullAll(topic: "TimerRestart")
            #expect(all.filter { $0.bodyString == "later" }.count == 1)
            #expect(all.filter { $0.bodyString == "soon" }.count == 1, "a delivered timer message came back after restart")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func delayBeyondTimerMaxDelaySecIsRefused() async throws {
        try await BrokerTestCluster.with({ $0.timerMaxDelaySec = 10 }, plugins: { [DelayLevelPlugin()] }) { cluster in
            let r = try await cluster.send(topic: "TimerTopic", body: "too far", user: [MessageConst.timerDelaySec: "60"])
            #expect(r.code == ResponseCode.messageIllegal.rawValue)
            #expect(r.remark?.contains("timerMaxDelaySec") == true)
        }
    }
    @Test("a batch's members are stored in their queue at once, delay and timer properties ignored; a batch request with a delay level is refused",
          .timeLimit(.minutes(1)))
    func batchIgnoresMemberDelays() async throws {
        try await BrokerTestCluster.with({ _ in }, plugins: { [DelayLevelPlugin()] }) { cluster in
            let topic = uniqueName("DelayBatch")
            try await cluster.createTopic(topic, queues: 1)
            let records = [
                (body: "level", properties: BrokerTestCluster.properties(user: [MessageConst.delayTimeLevel: "3"], wait: false)),
                (body: "timer", properties: BrokerTestCluster.properties(
                    user: [MessageConst.timerDelaySec: "30"], wait: false)),
            ]
            let header = BrokerTestCluster.sendHeader(topic: topic, properties: "", batch: true)
            let r = try await cluster.invoke(.request(.sendBatchMessage, header: SendMessageRequestHeaderV2(header),
                                                      body: BrokerTestCluster.batchBody(records)))
            #expect(r.code == 0, "\(r)")
            let stored = try await cluster.pullAll(topic: topic)
            #expect(stored.map(\.bodyString) == ["level", "timer"])
            #expect(stored.first?.properties[MessageConst.delayTimeLevel] == "3")

            let delayed = BrokerTestCluster.sendHeader(
                topic: topic, properties: MessageProperties.encode([MessageConst.delayTimeLevel: "2"]), batch: true)
            let refused = try await cluster.invoke(.request(.sendBatchMessage, header: SendMessageRequestHeaderV2(delayed),
                                                            body: BrokerTestCluster.batchBody(records)))
            #expect(refused.code == ResponseCode.messageIllegal.rawValue, "\(refused)")
            #expect(try await cluster.pullAll(topic: topic).count == 2)
        }
    }
}
