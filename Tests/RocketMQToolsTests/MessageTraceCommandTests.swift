//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQBroker
import RocketMQClient
import RocketMQCommon
import Testing

/// Message trace end to end: a traced producer's Pub records land in RMQ_SYS_TRACE_TOPIC in upstream's
/// encoding, and `queryMsgTraceById` prints them.
@Suite("mqadmin: message trace", .timeLimit(.minutes(1)))
struct MessageTraceCommandTests {
    @Test func tracedSendIsStoredAndPrinted() async throws {
        let c = try await ToolsTestCluster.start(configure: { $0.traceTopicEnable = true })
        do {
            // traceTopicEnable creates the trace topic at start, with one queue.
            let route = await c.eventually("topicRoute", "-t", "RMQ_SYS_TRACE_TOPIC") { $0.status == 0 }
            #expect(route.status == 0, "\(route.stderr)")
            try await c.createTopic("TracedTopic")

            var config = ClientConfig(namesrvAddr: c.namesrvAddr, clientIP: "127.0.0.1", instanceName: "traced")
            config.heartbeatBrokerInterval = .milliseconds(500)
            var logger = Logger(label: "trace-test")
            logger.logLevel = .critical
            let producer = DefaultMQProducer(producerGroup: "TRACE_PG", clientConfig: config, enableMsgTrace: true,
                                             logger: logger)
            try await producer.start()
            let sent = try await producer.send(Message(topic: "TracedTopic", tags: "TagT", keys: "order-7", body: "traced"))
            #expect(sent.sendStatus == .sendOK)

            // The trace message is indexed by the traced message's id.
            let admin = MQAdmin(clientConfig: ClientConfig(namesrvAddr: c.namesrvAddr, instanceName: "trace-admin"),
                                logger: logger)
            try await admin.start()
            var traceMessages: [MessageExt] = []
            let deadline = ContinuousClock.now + .seconds(20)
            while traceMessages.isEmpty, ContinuousClock.now < deadline {
                traceMessages = (try? await admin.queryMessage(topic: "RMQ_SYS_TRACE_TOPIC", key: sent.msgID)) ?? []
                if traceMessages.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
            }
            await admin.shutdown()
            let trace = try #require(traceMessages.first, "no trace message for \(sent.msgID)")
            #expect(trace.keys?.split(separator: " ").contains { $0 == sent.msgID } == true)
            #expect(trace.keys?.split(separator: " ").contains("order-7") == true)

            // Upstream's Pub record: 14 fields split by \u{1}, ended by \u{2}.
            let body = trace.bodyString
            #expect(body.hasSuffix("\u{2}"))
            let fields = body.dropLast().split(separator: "\u{1}", omittingEmptySubsequences: false).map(String.init)
            #expect(fields.count == 14, "\(fields)")
            if fields.count == 14 {
                #expect(fields[0] == "Pub")
                #expect(Int64(fields[1]) != nil)
                #expect(fields[2] == "DefaultRegion")
                #expect(fields[3] == "TRACE_PG")
                #expect(fields[4] == "TracedTopic")
                #expect(fields[5] == sent.msgID)
                #expect(fields[6] == "TagT")
                #expect(fields[7] == "order-7")
                #expect(fields[8] == c.brokerAddr)
                #expect(fields[9] == "6")
                #expect(Int(fields[10]) != nil)
                #expect(fields[11] == "0")
                #expect(fields[12] == sent.offsetMsgID)
                #expect(fields[13] == "true")
            }

            // A traced push consumer adds SubBefore/SubAfter records; the tool prints the SubAfter per group.
            let consumer = DefaultMQPushConsumer(consumerGroup: "TRACE_CG", clientConfig: config, enableMsgTrace: true,
                                                 logger: logger)
            consumer.consumeFromWhere = .consumeFromFirstOffset
            try consumer.subscribe("TracedTopic", "*")
            consumer.registerMessageListener(concurrently: { _, _ in .consumeSuccess })
            try await consumer.start()
            let printed = await c.eventually("queryMsgTraceById", "-i", sent.msgID, within: 20) { r in
                r.lines.contains { $0.hasPrefix("Sub ") }
            }
            await consumer.shutdown()
            #expect(printed.status == 0, "\(printed.stderr)")
            #expect(printed.lines.first.map(columns) == ["#Type", "#ProducerGroup", "#ClientHost", "#SendTime",
                                                          "#CostTimes", "#Status"])
            let row = printed.lines.count > 1 ? columns(printed.lines[1]) : []
            #expect(row.count == 7, "\(printed.stdout)")  // the send time prints as date and time
            if row.count == 7 {
                #expect(row[0] == "Pub")
                #expect(row[1] == "TRACE_PG")
                #expect(row[2] == "127.0.0.1")
                #expect(row[5].hasSuffix("ms"))
                #expect(row[6] == "success")
            }
            #expect(printed.lines.count == 4, "\(printed.stdout)")
            if printed.lines.count == 4 {
                #expect(columns(printed.lines[2]) == ["#Type", "#ConsumerGroup", "#ClientHost", "#ConsumerTime",
                                                      "#CostTimes", "#Status"])
                let sub = columns(printed.lines[3])
                #expect(sub.count == 7 && sub[0] == "Sub" && sub[1] == "TRACE_CG" && sub[6] == "success", "\(sub)")
            }
            // The header line pads like upstream's %-10s %-20s ...
            #expect(printed.lines.first?.hasPrefix("#Type      #ProducerGroup       #ClientHost") == true)

            // An id nobody traced prints nothing.
            let none = await c.mqadmin("queryMsgTraceById", "-i", "0A0A0A0A00002A9F0000000000000000")
            #expect(none.status == 0)
            #expect(none.stdout == "")
            await producer.shutdown()
        } catch {
            await c.shutdown()
            throw error
        }
        await c.shutdown()
    }
}
