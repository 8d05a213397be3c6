//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Testing

@Suite("mqadmin: topic commands", .timeLimit(.minutes(1)))
struct TopicCommandTests {
    @Test func createListRouteStatusDelete() async throws {
        try await ToolsTestCluster.with { c in
            let create = await c.mqadmin("updateTopic", "-c", ToolsTestCluster.clusterName, "-t", "AdminTopic",
                                         "-r", "4", "-w", "4")
            #expect(create.status == 0, "\(create.stderr)")
            #expect(create.lines.first == "create topic to \(c.brokerAddr) success.")
            #expect(create.stdout.contains("TopicConfig [topicName=AdminTopic, readQueueNums=4, writeQueueNums=4, perm=RW-"))

            let list = await c.eventually("topicList") { $0.lines.contains("AdminTopic") }
            #expect(list.lines.contains("AdminTopic"))
            let withCluster = await c.mqadmin("topicList", "-c")
            #expect(withCluster.lines.first.map(columns) == ["#Cluster", "Name", "#Topic", "#Consumer", "Group"])
            #expect(withCluster.lines.contains { columns($0) == [ToolsTestCluster.clusterName, "AdminTopic"] })

            let route = await c.mqadmin("topicRoute", "-t", "AdminTopic")
            #expect(route.status == 0)
            #expect(route.stdout.contains(c.brokerName) && route.stdout.contains(c.brokerAddr))
            #expect(route.stdout.contains("\"writeQueueNums\":4"), "\(route.stdout)")

            let clusters = await c.mqadmin("topicClusterList", "-t", "AdminTopic")
            #expect(clusters.lines == [ToolsTestCluster.clusterName])

            let status = await c.mqadmin("topicStatus", "-t", "AdminTopic")
            #expect(status.status == 0)
            #expect(status.lines.first.map(columns) == ["#Broker", "Name", "#QID", "#Min", "Offset", "#Max", "Offset",
                                                        "#Last", "Updated"])
            // Empty queues: max offset 0 (this broker reports min offset -1 for a queue with no file yet).
            #expect(status.lines.dropFirst().map { [columns($0)[0], columns($0)[1], columns($0)[3]] } ==
                    (0..<4).map { [c.brokerName, "\($0)", "0"] })
            #expect(status.lines[0].hasPrefix("#Broker Name" + String(repeating: " ", count: 20) + "  #QID  #Min Offset"))

            let delete = await c.mqadmin("deleteTopic", "-t", "AdminTopic", "-c", ToolsTestCluster.clusterName)
            #expect(delete.status == 0, "\(delete.stderr)")
            #expect(delete.lines == ["delete topic [AdminTopic] from cluster [\(ToolsTestCluster.clusterName)] success.",
                                     "delete topic [AdminTopic] from NameServer success."])
            let gone = await c.eventually("topicList") { !$0.lines.contains("AdminTopic") }
            #expect(!gone.lines.contains("AdminTopic"))
        }
    }

    @Test func unknownTopicIsOneLineAndNonZero() async throws {
        try await ToolsTestCluster.with { c in
            for command in ["topicStatus", "topicRoute", "topicClusterList"] {
                let result = await c.mqadmin(command, "-t", "NoSuchTopic")
                #expect(result.status != 0, "\(command)")
                #expect(result.stderr == "mqadmin: topic [NoSuchTopic] not exist (no route info in the name server)\n",
                        "\(command): \(result.stderr)")
                #expect(result.stdout.isEmpty)
            }
            let unknownCluster = await c.mqadmin("updateTopic", "-c", "NoCluster", "-t", "X")
            #expect(unknownCluster.status != 0)
            #expect(unknownCluster.stderr == "mqadmin: cluster [NoCluster] not found in the name server\n")
        }
    }
}
