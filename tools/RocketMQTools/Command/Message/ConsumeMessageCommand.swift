//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon
import RocketMQRemoting

/// `consumeMessage` (Java `ConsumeMessageCommand`): read messages of a topic (or one queue) without
/// committing offsets, and print them.
struct ConsumeMessageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "consumeMessage", abstract: "Consume message")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("t"), .customLong("topic")], help: "Topic name")
    var topic: String
    @Option(name: [.customShort("b"), .customLong("brokerName")], help: "Broker name")
    var brokerName: String?
    @Option(name: [.customShort("i"), .customLong("queueId")], help: "Queue Id")
    var queueID: Int32?
    @Option(name: [.customShort("o"), .customLong("offset")], help: "Queue Offset")
    var offset: Int64?
    @Option(name: [.customShort("g"), .customLong("consumerGroup")], help: "Consumer group name")
    var consumerGroup: String?
    @Option(name: [.customShort("s"), .customLong("beginTimestamp")], help: "Begin timestamp(ms)")
    var beginTimestamp: Int64?
    @Option(name: [.customShort("e"), .customLong("endTimestamp")], help: "End timestamp(ms)")
    var endTimestamp: Int64?
    @Option(name: [.customShort("c"), .customLong("MessageNumber")], help: "Number of message to be consumed")
    var messageCount: Int = 128

    func run() async throws {
        let address = try namesrv.resolvedAddress()
        if offset != nil && (brokerName == nil || queueID == nil) {
            throw ToolError("-o <offset> needs -b <brokerName> and -i <queueId>")
        }
        // Which queues, from where to where.
        let ranges = try await namesrv.withAdmin { admin -> [MessageQueue: (start: Int64, end: Int64)] in
            _ = try await Tools.topicRoute(admin, topic)
            var ranges: [MessageQueue: (start: Int64, end: Int64)] = [:]
            for (queue, o) in try await admin.topicStats(topic).offsetTable {
                if let brokerName, queue.brokerName != brokerName { continue }
                if let queueID, queue.queueID != queueID { continue }
                let start = max(offset ?? o.minOffset, o.minOffset)
                if start < o.maxOffset { ranges[queue] = (start, o.maxOffset) }
            }
            return ranges
        }
        guard !ranges.isEmpty, messageCount > 0 else { return }

        let group = consumerGroup ?? "CID_MQADMIN_\(Clock.millis())"
        let consumer = DefaultLitePullConsumer(consumerGroup: group, namesrvAddr: address,
                                               clientConfig: ClientTLSOptions.clientConfig(),
                                               logger: Tools.quietLogger("mqadmin.consumer"))
        consumer.autoCommit = false
        consumer.consumeFromWhere = .consumeFromMinOffset
        do {
            try consumer.assign(Array(ranges.keys))
            try await consumer.start()
            if offset != nil { for (queue, range) in ranges { try consumer.seek(queue, offset: range.start) } }
            try await consume(consumer, ranges)
            await consumer.shutdown()
        } catch {
            await consumer.shutdown()
            throw error
        }
    }

    private func consume(_ consumer: DefaultLitePullConsumer,
                         _ ranges: [MessageQueue: (start: Int64, end: Int64)]) async throws {
        var next = ranges.mapValues(\.start)
        var printed = 0
        var idleUntil = ContinuousClock.now + .seconds(10)
        while printed < messageCount, next.contains(where: { $0.value < ranges[$0.key]!.end }),
              ContinuousClock.now < idleUntil {
            let batch = try await consumer.poll(timeout: .seconds(1))
            if !batch.isEmpty { idleUntil = ContinuousClock.now + .seconds(10) }
            for m in batch {
                let queue = MessageQueue(topic: m.topic, brokerName: m.brokerName, queueID: m.queueID)
                guard let range = ranges[queue], m.queueOffset >= range.start, m.queueOffset < range.end else { continue }
                next[queue] = max(next[queue] ?? 0, m.queueOffset + 1)
                if let beginTimestamp, m.storeTimestamp < beginTimestamp { continue }
                if let endTimestamp, m.storeTimestamp > endTimestamp { continue }
                guard printed < messageCount else { break }
                printed += 1
                out.write("MSGID: \(m.msgID) \(m) BODY: \(m.bodyString)\n")
            }
        }
        out.write("Consume ok, \(printed) message(s)\n")
    }
}
