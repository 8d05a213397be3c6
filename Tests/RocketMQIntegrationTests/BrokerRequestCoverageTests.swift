//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQBroker
import RocketMQCommon
import RocketMQRemoting
import Testing

/// Keeps the broker's request codes and these tests in step, refuses malformed requests for every code,
/// and covers the small admin queries the other suites do not.
@Suite("Broker request coverage")
struct BrokerRequestCoverageTests {
    /// Every code the broker serves and has tests in this target (success and refusal paths).
    static let testedCodes: Set<Int32> = [
        10, 310, 320, 36, 11, 361, 12, 33, 34, 35, 46, 38, 15, 14, 37, 17, 215, 21, 23, 305, 25, 26, 28, 200, 201, 207,
        27, 30, 31, 29, 32, 202, 208, 203, 204, 222, 43, 300, 41, 42, 907, 324, 325,
    ]

    /// Codes whose request carries a required header field or a body; an empty request is refused.
    static let codesNeedingInput: [Int32] = [
        10, 310, 320, 36, 11, 361, 12, 33, 34, 35, 46, 38, 15, 14, 37, 17, 215, 200, 207, 30, 31, 29, 32, 202, 208, 203,
        204, 222, 300, 41, 42, 324, 325,
    ]

    @Test("every request code the broker serves is covered by these tests", .timeLimit(.minutes(1)))
    func servedCodesAreTested() async throws {
        try await BrokerTestCluster.with { cluster in
            let served = Set(try #require(cluster.broker.server).dispatcher.table.registeredCodes)
            #expect(served.subtracting(Self.testedCodes).sorted() == [], "served but untested")
            #expect(Self.testedCodes.subtracting(served).sorted() == [], "tested but not served")
        }
    }

    @Test("an empty request is refused with 1 and a remark naming what is missing", .timeLimit(.minutes(1)))
    func malformedRequestsAreRefused() async throws {
        try await BrokerTestCluster.with { cluster in
            for code in Self.codesNeedingInput {
                let r = try await cluster.invoke(RemotingCommand(code: code))
                #expect(r.code == 1, "code \(code): \(r)")
                let remark = r.remark ?? ""
                #expect(remark.contains("the custom field <") || remark.contains("invalid request body"),
                        "code \(code): \(remark)")
            }
        }
    }

    @Test("topic name lists, all consumer offsets and who consumes a topic", .timeLimit(.minutes(1)))
    func smallAdminQueries() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("Small")
            let group = uniqueName("CG")
            try await cluster.createTopic(topic, queues: 1)
            try await cluster.sendOK(topic: topic, body: "x")
            let update = try await cluster.invoke(.request(.updateConsumerOffset, header: UpdateConsumerOffsetRequestHeader(
                consumerGroup: group, topic: topic, queueID: 0, commitOffset: 1)))
            #expect(update.code == 0)

            for code in [RequestCode.getTopicNameList, RequestCode.getSystemTopicListFromBroker] {
                let r = try await cluster.invoke(.request(code))
                #expect(r.code == 0, "\(code): \(r)")
                let list = try TopicList(body: r.body)
                #expect(list.topicList.contains(topic))
                #expect(list.topicList.contains("SCHEDULE_TOPIC_XXXX"))
                #expect(list.brokerAddr == cluster.broker.config.brokerAddr)
            }

            let offsets = try await cluster.invoke(.request(.getAllConsumerOffset))
            #expect(offsets.code == 0, "\(offsets)")
            let json = try JSONParser.parse(offsets.bodyBytes)
            #expect(json["offsetTable"]?["\(topic)@\(group)"]?["0"]?.int64Value == 1, "\(offsets.bodyString)")

            let who = try await cluster.invoke(.request(.queryTopicConsumeByWho, header: QueryTopicConsumeByWhoRequestHeader(topic: topic)))
            #expect(who.code == 0, "\(who)")
            let groups = (try JSONParser.parse(who.bodyBytes)["groupList"]?.arrayValue ?? []).compactMap(\.stringValue)
            #expect(groups == [group])

            let trigger = try await cluster.invoke(.request(.triggerDeleteFiles))
            #expect(trigger.code == 0, "\(trigger)")
            // Nothing is old enough to delete: the message is still there.
            #expect(try await cluster.pullAll(topic: topic).map(\.bodyString) == ["x"])
        }
    }
}
