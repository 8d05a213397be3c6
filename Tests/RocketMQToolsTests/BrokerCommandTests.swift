//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQClient
import Testing

@Suite("mqadmin: cluster, broker and name server commands", .timeLimit(.minutes(1)))
struct BrokerCommandTests {
    @Test func clusterListAndBrokerStatus() async throws {
        try await ToolsTestCluster.with { c in
            let list = await c.mqadmin("clusterList")
            #expect(list.status == 0, "\(list.stderr)")
            #expect(list.lines.first.map(columns) == ["#Cluster", "Name", "#Broker", "Name", "#BID", "#Addr", "#Version",
                                                      "#InTPS(LOAD)", "#OutTPS(LOAD)", "#PCWait(ms)", "#Hour", "#SPACE"])
            #expect(list.lines.first?.hasPrefix("#Cluster Name" + String(repeating: " ", count: 5) + "#Broker Name") == true)
            let row = list.lines.count == 2 ? columns(list.lines[1]) : []
            #expect(Array(row.prefix(5)) == [ToolsTestCluster.clusterName, c.brokerName, "0", c.brokerAddr, "V4_9_8"],
                    "\(list.stdout)")
            #expect(row.dropFirst(5).first == "0.00(0,0ms)")

            let status = await c.mqadmin("brokerStatus", "-b", c.brokerAddr)
            #expect(status.status == 0, "\(status.stderr)")
            #expect(status.lines.contains { $0.hasPrefix("brokerVersionDesc") && $0.hasSuffix(": V4_9_8") })
            #expect(status.lines.contains("brokerName" + String(repeating: " ", count: 22) + ": \(c.brokerName)"))
            let byCluster = await c.mqadmin("brokerStatus", "-c", ToolsTestCluster.clusterName)
            #expect(byCluster.lines.contains { columns($0) == [c.brokerAddr, "brokerName", ":", c.brokerName] })

            let refused = await c.mqadmin("brokerStatus", "-b", "127.0.0.1:1")
            #expect(refused.status != 0)
            #expect(refused.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test func updateBrokerConfigChangesGetBrokerConfig() async throws {
        try await ToolsTestCluster.with { c in
            let before = await c.mqadmin("getBrokerConfig", "-b", c.brokerAddr)
            #expect(before.status == 0, "\(before.stderr)")
            #expect(before.lines.first == "============\(c.brokerAddr)============")
            #expect(before.lines.contains { columns($0) == ["brokerName", "=", c.brokerName] })
            #expect(before.lines.contains { columns($0) == ["shortPollingTimeMills", "=", "1000"] })

            let update = await c.mqadmin("updateBrokerConfig", "-b", c.brokerAddr, "-k", "shortPollingTimeMills",
                                         "-v", "1234")
            #expect(update.status == 0, "\(update.stderr)")
            #expect(update.lines == ["update broker config success, \(c.brokerAddr)"])

            let after = await c.mqadmin("getBrokerConfig", "-c", ToolsTestCluster.clusterName)
            #expect(after.lines.first == "============Master: \(c.brokerAddr)============")
            #expect(after.lines.contains { columns($0) == ["shortPollingTimeMills", "=", "1234"] }, "\(after.stdout)")

            let frozen = await c.mqadmin("updateBrokerConfig", "-b", c.brokerAddr, "-k", "brokerName", "-v", "x")
            #expect(frozen.status != 0)
            #expect(frozen.stderr.contains("Can not update config in black list: brokerName"), "\(frozen.stderr)")
        }
    }

    @Test func kvConfigAndWipeWritePerm() async throws {
        try await ToolsTestCluster.with { c in
            let put = await c.mqadmin("updateKvConfig", "-s", "NS", "-k", "K1", "-v", "V1")
            #expect(put.status == 0, "\(put.stderr)")
            #expect(put.lines == ["create or update kv config to namespace success."])
            let admin = MQAdmin(namesrvAddr: c.namesrvAddr)
            #expect(try await admin.kvConfig(namespace: "NS", key: "K1") == "V1")

            let delete = await c.mqadmin("deleteKvConfig", "-s", "NS", "-k", "K1")
            #expect(delete.lines == ["delete kv config from namespace success."])
            #expect(try await admin.kvConfig(namespace: "NS", key: "K1") == nil)

            try await c.createTopic("PermTopic")
            let wipe = await c.mqadmin("wipeWritePerm", "-b", c.brokerName)
            #expect(wipe.status == 0, "\(wipe.stderr)")
            let prefix = "wipe write perm of broker[\(c.brokerName)] in name server[\(c.namesrvAddr)] OK, "
            #expect(wipe.lines.count == 1 && wipe.lines[0].hasPrefix(prefix), "\(wipe.stdout)")
            #expect((Int(wipe.lines.first?.dropFirst(prefix.count) ?? "") ?? 0) >= 1)
            let route = try await admin.topicRoute("PermTopic")
            #expect(route.queueDatas.allSatisfy { $0.perm & 2 == 0 })
            await admin.shutdown()
        }
    }
}
