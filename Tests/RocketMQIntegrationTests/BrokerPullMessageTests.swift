//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQBroker
import RocketMQCommon
import RocketMQRemoting
import Testing

/// PULL_MESSAGE (11) and LITE_PULL_MESSAGE (361): statuses, filtering, long polling, refusals.
@Suite("Broker pull")
struct BrokerPullMessageTests {
    @Test("pull finds sent messages, then 19 at the end and 21 beyond it",
          .timeLimit(.minutes(1)), arguments: [RequestCode.pullMessage, RequestCode.litePullMessage])
    func pullStatuses(code: RequestCode) async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("Pull")
            try await cluster.createTopic(topic, queues: 2)
            for i in 0..<3 { try await cluster.sendOK(topic: topic, body: "m\(i)", queueID: 1) }

            let found = try await cluster.pull(topic: topic, queueID: 1, offset: 0, code: code)
            #expect(found.code == 0, "\(found.response)")
            #expect(found.response.remark == "FOUND")
            #expect(found.messages.map(\.bodyString) == ["m0", "m1", "m2"])
            #expect(found.header?.nextBeginOffset == 3)
            #expect(found.header?.minOffset == 0)
            #expect(found.header?.maxOffset == 3)

            let partial = try await cluster.pull(topic: topic, queueID: 1, offset: 1, maxMsgNums: 1, code: code)
            #expect(partial.messages.map(\.bodyString) == ["m1"])
            #expect(partial.header?.nextBeginOffset == 2)

            let end = try await cluster.pull(topic: topic, queueID: 1, offset: 3, code: code)
            #expect(end.code == 19, "\(end.response)")
            #expect(end.header?.nextBeginOffset == 3)
            #expect(end.response.body == nil || end.response.body?.readableBytes == 0)

            let beyond = try await cluster.pull(topic: topic, queueID: 1, offset: 10, code: code)
            #expect(beyond.code == 21, "\(beyond.response)")
            #expect(beyond.response.remark == "OFFSET_OVERFLOW_BADLY")
            // Upstream corrects to the min offset when it is 0, else to the max offset.
            #expect(beyond.header?.nextBeginOffset == 0)
            #expect(beyond.header?.maxOffset == 3)

            // An empty queue answers 19 for offset 0 and 21 for any other offset.
            let empty = try await cluster.pull(topic: topic, queueID: 0, offset: 0, code: code)
            #expect(empty.code == 19, "\(empty.response)")
            let emptyMoved = try await cluster.pull(topic: topic, queueID: 0, offset: 5, code: code)
            #expect(emptyMoved.code == 21, "\(emptyMoved.response)")
        }
    }

    @Test("a tag subscription 'TagA || TagB' filters by tag", .timeLimit(.minutes(1)))
    func tagFilter() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("Tags")
            try await cluster.createTopic(topic, queues: 1)
            for (i, tag) in ["TagA", "TagC", "TagB", "TagA", "TagD"].enumerated() {
                try await cluster.sendOK(topic: topic, body: "\(i)-\(tag)", tags: tag)
            }
            let r = try await cluster.pull(topic: topic, subscription: "TagA || TagB")
            #expect(r.code == 0, "\(r.response)")
            #expect(r.messages.map(\.bodyString) == ["0-TagA", "2-TagB", "3-TagA"])
            #expect(r.header?.nextBeginOffset == 5)

            let none = try await cluster.pull(topic: topic, offset: 4, subscription: "TagA || TagB")
            #expect(none.code == 20, "only a TagD left: \(none.response)")
            #expect(none.header?.nextBeginOffset == 5)
        }
    }

    @Test("a suspended pull on an empty queue returns as soon as a message arrives", .timeLimit(.minutes(1)))
    func longPollingWakesOnArrival() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("LongPoll")
            try await cluster.createTopic(topic, queues: 1)
            let puller = cluster.makeClient()
            let started = ContinuousClock.now
            let pending = Task {
                let r = try await cluster.pull(topic: topic, sysFlag: PullSysFlag.subscription | PullSysFlag.suspend,
                                               suspendTimeoutMillis: 5000, via: puller, timeoutMillis: 15_000)
                return (r, ContinuousClock.now)
            }
            let parked = await eventually { cluster.broker.pullHold.parkedCount > 0 }
            #expect(parked, "the pull was not parked")
            try await cluster.sendOK(topic: topic, body: "wake-up")
            let sentAt = ContinuousClock.now
            let (r, answeredAt) = try await pending.value
            #expect(r.code == 0, "\(r.response)")
            #expect(r.messages.map(\.bodyString) == ["wake-up"])
            #expect(answeredAt - sentAt < .seconds(1), "answered \(answeredAt - sentAt) after the send")
            #expect(answeredAt - started < .seconds(4))
            await puller.shutdown()
        }
    }

    @Test("two pulls parked on one queue are both answered by one arriving message", .timeLimit(.minutes(1)))
    func longPollingWakesEveryWaiter() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("LongPollTwo")
            try await cluster.createTopic(topic, queues: 1)
            let clients = [cluster.makeClient(), cluster.makeClient()]
            let pending = clients.enumerated().map { i, client in
                Task {
                    try await cluster.pull(topic: topic, group: "CG_\(i)", sysFlag: PullSysFlag.subscription | PullSysFlag.suspend,
                                           suspendTimeoutMillis: 10_000, via: client, timeoutMillis: 20_000)
                }
            }
            let parked = await eventually { cluster.broker.pullHold.parkedCount == 2 }
            #expect(parked)
            let sentAt = ContinuousClock.now
            try await cluster.sendOK(topic: topic, body: "for-both")
            for task in pending {
                let r = try await task.value
                #expect(r.code == 0, "\(r.response)")
                #expect(r.messages.map(\.bodyString) == ["for-both"])
            }
            // Well before the 10 s hold ends (generous: both answers on a loaded 2-core machine).
            #expect(ContinuousClock.now - sentAt < .seconds(5))
            for client in clients { await client.shutdown() }
        }
    }

    @Test("a parked pull is woken only by a message its subscription accepts", .timeLimit(.minutes(1)))
    func longPollWakesOnlyOnMatchingTags() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("LongPollTag")
            try await cluster.createTopic(topic, queues: 1)
            let client = cluster.makeClient()
            let pending = Task {
                try await cluster.pull(topic: topic, subscription: "TagA", sysFlag: PullSysFlag.subscription | PullSysFlag.suspend,
                                       suspendTimeoutMillis: 10_000, via: client, timeoutMillis: 20_000)
            }
            #expect(await eventually { cluster.broker.pullHold.parkedCount == 1 })
            // A TagB message leaves the pull parked (upstream checks the consume-queue tag code first).
            try await cluster.sendOK(topic: topic, body: "other", tags: "TagB")
            #expect(try await cluster.offset(.getMaxOffset, topic: topic) == 1)
            let stillParked = await eventually(within: .milliseconds(500)) { cluster.broker.pullHold.parkedCount == 0 }
            #expect(stillParked == false, "a TagB message woke a TagA pull")
            let sentAt = ContinuousClock.now
            try await cluster.sendOK(topic: topic, body: "wanted", tags: "TagA")
            let r = try await pending.value
            #expect(ContinuousClock.now - sentAt < .seconds(5), "woken by the TagA message, not the 10 s hold")
            #expect(r.code == 0, "\(r.response)")
            #expect(r.messages.map(\.bodyString) == ["wanted"])
            #expect(r.messages.first?.queueOffset == 1)
            await client.shutdown()
        }
    }

    @Test("a suspended pull with nothing arriving answers 19 after its hold time", .timeLimit(.minutes(1)))
    func longPollingTimesOut() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("LongPollIdle")
            try await cluster.createTopic(topic, queues: 1)
            let started = ContinuousClock.now
            let r = try await cluster.pull(topic: topic, sysFlag: PullSysFlag.subscription | PullSysFlag.suspend,
                                           suspendTimeoutMillis: 2000, timeoutMillis: 15_000)
            let elapsed = ContinuousClock.now - started
            #expect(r.code == 19, "\(r.response)")
            #expect(elapsed >= .milliseconds(1900), "answered after \(elapsed)")
            #expect(elapsed < .seconds(8), "answered after \(elapsed)")
        }
    }

    @Test("with long polling off a suspended pull is held only shortPollingTimeMills", .timeLimit(.minutes(1)))
    func shortPolling() async throws {
        try await BrokerTestCluster.with({ c in
            c.longPollingEnable = false
            c.shortPollingTimeMills = 500
        }) { cluster in
            let topic = uniqueName("ShortPoll")
            try await cluster.createTopic(topic, queues: 1)
            let started = ContinuousClock.now
            let r = try await cluster.pull(topic: topic, sysFlag: PullSysFlag.subscription | PullSysFlag.suspend,
                                           suspendTimeoutMillis: 10_000, timeoutMillis: 20_000)
            let elapsed = ContinuousClock.now - started
            #expect(r.code == 19, "\(r.response)")
            #expect(elapsed >= .milliseconds(450), "answered after \(elapsed)")
            #expect(elapsed < .seconds(5), "answered after \(elapsed) (the 10 s suspend time was not overridden)")
        }
    }

    @Test("the commit-offset flag stores the consumer offset", .timeLimit(.minutes(1)))
    func commitOffsetFlag() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("Commit")
            let group = uniqueName("CG")
            try await cluster.createTopic(topic, queues: 1)
            for i in 0..<3 { try await cluster.sendOK(topic: topic, body: "c\(i)") }
            let r = try await cluster.pull(topic: topic, offset: 2, group: group,
                                           sysFlag: PullSysFlag.subscription | PullSysFlag.commitOffset, commitOffset: 2)
            #expect(r.code == 0)
            let q = try await cluster.queryConsumerOffset(group: group, topic: topic)
            #expect(q.code == 0, "\(q)")
            #expect(try q.decodeHeader(QueryConsumerOffsetResponseHeader.self).offset == 2)
        }
    }

    @Test("pulls are refused: unknown topic 17, bad queue 1, no subscription 24, SQL92 1", .timeLimit(.minutes(1)))
    func pullRefusals() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("PullRefused")
            try await cluster.createTopic(topic, queues: 2)

            let unknown = try await cluster.pull(topic: uniqueName("Missing"))
            #expect(unknown.code == 17, "\(unknown.response)")
            #expect(unknown.response.remark?.contains("not exist") == true)

            let badQueue = try await cluster.pull(topic: topic, queueID: 2)
            #expect(badQueue.code == 1, "\(badQueue.response)")
            #expect(badQueue.response.remark?.contains("queueId[2] is illegal") == true)

            let noSub = try await cluster.pull(topic: topic, group: uniqueName("NoHeartbeat"), subscription: nil, sysFlag: 0)
            #expect(noSub.code == 24, "\(noSub.response)")
            #expect(noSub.response.remark?.isEmpty == false)

            let sql = try await cluster.pull(topic: topic, subscription: "a > 1", expressionType: "SQL92")
            #expect(sql.code == 1, "\(sql.response)")
            #expect(sql.response.remark?.contains("The broker does not support consumer to filter message by SQL92") == true)
        }
    }

    @Test("the heartbeat's subscription is used when the subscription flag is clear", .timeLimit(.minutes(1)))
    func pullWithRegisteredSubscription() async throws {
        try await BrokerTestCluster.with { cluster in
            let topic = uniqueName("HBSub")
            let group = uniqueName("CG")
            try await cluster.createTopic(topic, queues: 1)
            try await cluster.sendOK(topic: topic, body: "a", tags: "TagA")
            try await cluster.sendOK(topic: topic, body: "b", tags: "TagB")
            let hb = try await cluster.heartbeat(clientID: "127.0.0.1@sub",
                                                 consumers: [BrokerTestCluster.consumer(group, topic: topic, subString: "TagB")])
            #expect(hb.code == 0)
            let r = try await cluster.pull(topic: topic, group: group, subscription: nil, sysFlag: 0)
            #expect(r.code == 0, "\(r.response)")
            #expect(r.messages.map(\.bodyString) == ["b"])

            // A pull claiming a newer subscription than the broker has registered is told so.
            let stale = try await cluster.pull(topic: topic, group: group, subscription: nil, sysFlag: 0,
                                               subVersion: Int64.max)
            #expect(stale.code == 25, "\(stale.response)")
            #expect(stale.response.remark?.isEmpty == false)
        }
    }

    @Test("a broker without read permission refuses pulls with 16", .timeLimit(.minutes(1)))
    func brokerNotReadable() async throws {
        try await BrokerTestCluster.with({ $0.brokerPermission = 2 }) { cluster in
            let r = try await cluster.pull(topic: "TBW102")
            #expect(r.code == 16, "\(r.response)")
            #expect(r.response.remark?.contains("pulling message is forbidden") == true)
        }
    }
}
