//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Testing

@Suite("mqadmin: message commands", .timeLimit(.minutes(1)))
struct MessageCommandTests {
    @Test func sendStatusQueryAndConsume() async throws {
        try await ToolsTestCluster.with { c in
            try await c.createTopic("MsgTopic")
            var ids: [String] = []
            for i in 0..<3 {
                let sent = await c.mqadmin("sendMessage", "-t", "MsgTopic", "-p", "hello-\(i)", "-k", "key-\(i)",
                                           "-c", "TagA")
                #expect(sent.status == 0, "\(sent.stderr)")
                #expect(sent.lines.first.map(columns) == ["#Broker", "Name", "#QID", "#Send", "Result", "#MsgId"])
                let row = sent.lines.count == 2 ? columns(sent.lines[1]) : []
                #expect(Array(row.prefix(3)) == [c.brokerName, "0", "SEND_OK"], "\(sent.stdout)")
                ids.append(row.last ?? "")
            }

            // topicStatus: max offset 3 after three sends.
            let status = await c.mqadmin("topicStatus", "-t", "MsgTopic")
            let row = status.lines.dropFirst().first.map(columns) ?? []
            #expect(Array(row.prefix(4)) == [c.brokerName, "0", "0", "3"], "\(status.stdout)")
            #expect(row.count == 6, "last updated date and time: \(row)")

            // queryMsgByKey: the index is built asynchronously, so retry up to a deadline.
            let byKey = await c.eventually("queryMsgByKey", "-t", "MsgTopic", "-k", "key-1") { $0.lines.count > 1 }
            #expect(byKey.status == 0, "\(byKey.stderr)")
            #expect(byKey.lines.first.map(columns) == ["#Message", "ID", "#QID", "#Offset"])
            #expect(byKey.lines.dropFirst().map(columns) == [[ids[1], "0", "1"]])

            // queryMsgByUniqueKey, then queryMsgById with the offset id it printed.
            let byUnique = await c.eventually("queryMsgByUniqueKey", "-i", ids[2], "-t", "MsgTopic") { $0.status == 0 }
            #expect(byUnique.status == 0, "\(byUnique.stderr)")
            #expect(field(byUnique, "Unique Key:") == ids[2])
            #expect(field(byUnique, "Message Body:") == "hello-2")
            #expect(field(byUnique, "Keys:") == "[key-2]")
            #expect(field(byUnique, "Tags:") == "[TagA]")
            #expect(field(byUnique, "Queue Offset:") == "2")
            let offsetID = field(byUnique, "OffsetID:") ?? ""
            let byID = await c.mqadmin("queryMsgById", "-i", offsetID)
            #expect(byID.status == 0, "\(byID.stderr)")
            #expect(field(byID, "Message Body:") == "hello-2")
            #expect(field(byID, "Store Host:") == c.brokerAddr)

            // queryMsgByOffset
            let byOffset = await c.mqadmin("queryMsgByOffset", "-t", "MsgTopic", "-b", c.brokerName, "-i", "0", "-o", "1")
            #expect(byOffset.status == 0, "\(byOffset.stderr)")
            #expect(field(byOffset, "Message Body:") == "hello-1")
            let pastEnd = await c.mqadmin("queryMsgByOffset", "-t", "MsgTopic", "-b", c.brokerName, "-i", "0", "-o", "9")
            #expect(pastEnd.status != 0)

            // consumeMessage: all three, then from offset 1 of queue 0 with a count of 1.
            let consumed = await c.mqadmin("consumeMessage", "-t", "MsgTopic")
            #expect(consumed.status == 0, "\(consumed.stderr)")
            let bodies = consumed.lines.filter { $0.hasPrefix("MSGID: ") }.compactMap { $0.split(separator: " ").last }
            #expect(bodies == ["hello-0", "hello-1", "hello-2"], "\(consumed.stdout)")
            #expect(consumed.lines.filter { $0.hasPrefix("MSGID: ") }.map { columns($0)[1] } == ids)
            let one = await c.mqadmin("consumeMessage", "-t", "MsgTopic", "-b", c.brokerName, "-i", "0", "-o", "1",
                                      "-c", "1")
            #expect(one.lines.filter { $0.hasPrefix("MSGID: ") }.compactMap { $0.split(separator: " ").last } == ["hello-1"],
                    "\(one.stdout)\(one.stderr)")
        }
    }

    @Test func queriesOnUnknownTopicFail() async throws {
        try await ToolsTestCluster.with { c in
            let result = await c.mqadmin("queryMsgByKey", "-t", "Nope", "-k", "k")
            #expect(result.status != 0)
            #expect(result.stderr == "mqadmin: topic [Nope] not exist (no route info in the name server)\n")
            let badID = await c.mqadmin("queryMsgById", "-i", "not-an-id")
            #expect(badID.status != 0)
            #expect(badID.stderr.split(separator: "\n").count == 1)
        }
    }
}

/// The value of a `%-20s %s` detail line.
func field(_ result: CommandResult, _ name: String) -> String? {
    result.lines.first { $0.hasPrefix(name + " ") }.map { String($0.dropFirst(20)).trimmingPrefixSpaces }.map(String.init)
}
