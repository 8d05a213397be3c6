//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQClient
import RocketMQCommon
import Testing

@Suite("mqadmin: groups, offsets and connections", .timeLimit(.minutes(1)))
struct GroupCommandTests {
    @Test func subscriptionGroupResetOffsetAndProgress() async throws {
        try await ToolsTestCluster.with { c in
            try await c.createTopic("GroupTopic")
            for i in 0..<3 { _ = await c.mqadmin("sendMessage", "-t", "GroupTopic", "-p", "m\(i)") }

            let created = await c.mqadmin("updateSubGroup", "-b", c.brokerAddr, "-g", "GID_ADMIN", "-r", "5")
            #expect(created.status == 0, "\(created.stderr)")
            #expect(created.lines.first == "create subscription group to \(c.brokerAddr) success.")
            #expect(created.stdout.contains("SubscriptionGroupConfig [groupName=GID_ADMIN, consumeEnable=true"))
            #expect(created.stdout.contains("retryMaxTimes=5"))

            let reset = await c.mqadmin("resetOffsetByTime", "-g", "GID_ADMIN", "-t", "GroupTopic", "-s", "0")
            #expect(reset.status == 0, "\(reset.stderr)")
            #expect(reset.lines.first == "rollback consumer offset by specified group[GID_ADMIN], topic[GroupTopic], "
                    + "force[true], timestamp(string)[0], timestamp(long)[0]")
            #expect(reset.lines.dropFirst(2).map(columns) == [[c.brokerName, "0", "0"]])

            let progress = await c.mqadmin("consumerProgress", "-g", "GID_ADMIN", "-t", "GroupTopic")
            #expect(progress.status == 0, "\(progress.stderr)")
            #expect(progress.lines.first.map(columns) == ["#Topic", "#Broker", "Name", "#QID", "#Broker", "Offset",
                                                          "#Consumer", "Offset", "#Client", "IP", "#Diff", "#LastTime"])
            #expect(progress.lines.dropFirst().first.map { Array(columns($0).prefix(7)) }
                    == ["GroupTopic", c.brokerName, "0", "3", "0", "N/A", "3"], "\(progress.stdout)")
            #expect(progress.lines.last == "Diff Total: 3")

            // Reset to now: consumer offset = broker offset, diff 0.
            _ = await c.mqadmin("resetOffsetByTime", "-g", "GID_ADMIN", "-t", "GroupTopic", "-s", "now")
            let caughtUp = await c.mqadmin("consumerProgress", "-g", "GID_ADMIN", "-t", "GroupTopic")
            #expect(caughtUp.lines.last == "Diff Total: 0", "\(caughtUp.stdout)")

            let deleted = await c.mqadmin("deleteSubGroup", "-b", c.brokerAddr, "-g", "GID_ADMIN")
            #expect(deleted.lines == ["delete subscription group [GID_ADMIN] from broker [\(c.brokerAddr)] success."])
            let again = await c.mqadmin("deleteSubGroup", "-c", ToolsTestCluster.clusterName, "-g", "GID_ADMIN")
            #expect(again.status != 0)
            #expect(again.stderr.split(separator: "\n").count == 1)

            let unknown = await c.mqadmin("consumerProgress", "-g", "NoSuchGroup")
            #expect(unknown.status != 0)
            #expect(unknown.stderr.hasPrefix("mqadmin: consumer group [NoSuchGroup] not found"), "\(unknown.stderr)")
        }
    }

    @Test func consumerAndProducerConnections() async throws {
        try await ToolsTestCluster.with { c in
            try await c.createTopic("ConnTopic")
            let producer = DefaultMQProducer(producerGroup: "PID_CONN", namesrvAddr: c.namesrvAddr)
            try await producer.start()
            _ = try await producer.send(Message(topic: "ConnTopic", body: "x"))
            let consumer = DefaultLitePullConsumer(consumerGroup: "CID_CONN", namesrvAddr: c.namesrvAddr)
            consumer.consumeFromWhere = .consumeFromMinOffset
            try consumer.subscribe("ConnTopic", "TagA || TagB")
            try await consumer.start()
            let producers = await c.eventually("producerConnection", "-g", "PID_CONN", "-t", "ConnTopic") {
                $0.status == 0
            }
            #expect(producers.status == 0, "\(producers.stderr)")
            let p = producers.lines.first.map(columns) ?? []
            #expect(p.first == "0001" && p.count == 5, "\(producers.stdout)")
            #expect(p.last == "V4_9_8")

            let consumers = await c.eventually("consumerConnection", "-g", "CID_CONN") { $0.status == 0 }
            #expect(consumers.status == 0, "\(consumers.stderr)")
            #expect(consumers.lines.first.map { columns($0).first } == "001", "\(consumers.stdout)")
            #expect(consumers.lines.contains("Below is subscription:"))
            #expect(consumers.lines.contains { columns($0) == ["001", "Topic:", "ConnTopic", "SubExpression:",
                                                               "TagA", "||", "TagB"] }, "\(consumers.stdout)")
            #expect(consumers.lines.contains("ConsumeType: CONSUME_ACTIVELY"))
            #expect(consumers.lines.contains("MessageModel: CLUSTERING"))
            #expect(consumers.lines.contains("ConsumeFromWhere: CONSUME_FROM_MIN_OFFSET"))

            // Without -g: one line per group that has a retry topic (the one message sent is not consumed yet).
            let all = await c.eventually("consumerProgress") { run in
                run.lines.contains { columns($0).first == "CID_CONN" }
            }
            #expect(all.status == 0, "\(all.stderr)")
            #expect(all.lines.first.map(columns) == ["#Group", "#Count", "#Version", "#Type", "#Model", "#TPS", "#Diff", "Total"])
            #expect(all.lines.contains { columns($0) == ["CID_CONN", "1", "V4_9_8", "PULL", "0", "1"] }, "\(all.stdout)")

            // topicList -c: the group column comes from the broker (QUERY_TOPIC_CONSUME_BY_WHO); no retry topics.
            let topics = await c.mqadmin("topicList", "-c")
            #expect(topics.lines.contains { columns($0) == [ToolsTestCluster.clusterName, "ConnTopic", "CID_CONN"] },
                    "\(topics.stdout)")
            #expect(!topics.stdout.contains("%RETRY%"))

            let missing = await c.mqadmin("producerConnection", "-g", "PID_NONE", "-t", "ConnTopic")
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("PID_NONE"), "\(missing.stderr)")
            let noConsumer = await c.mqadmin("consumerConnection", "-g", "CID_NONE")
            #expect(noConsumer.status != 0)
            await consumer.shutdown()
            // Offline and nothing committed: as upstream, the broker then knows no topic of the group (lag 0).
            let offline = await c.eventually("consumerProgress") { run in
                run.lines.contains { columns($0) == ["CID_CONN", "0", "OFFLINE", "0", "0"] }
            }
            #expect(offline.lines.contains { columns($0) == ["CID_CONN", "0", "OFFLINE", "0", "0"] }, "\(offline.stdout)")
            await producer.shutdown()
        }
    }
}
