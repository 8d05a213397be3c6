//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQRemoting

/// `consumerProgress` (Java `ConsumerProgressSubCommand`): per-queue broker/consumer offsets and the lag.
struct ConsumerProgressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consumerProgress", abstract: "Query consumers's progress, speed")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("g"), .customLong("groupName")], help: "consumer group name")
    var groupName: String
    @Option(name: [.customShort("t"), .customLong("topicName")], help: "topic name (default: all of the group)")
    var topic: String?
    @Option(name: [.customShort("s"), .customLong("showClientIP")], help: "Show Client IP per Queue")
    var showClientIP: Bool = false

    func run() async throws {
        try await namesrv.withAdmin { admin in
            let stats: ConsumeStats
            do {
                stats = try await admin.consumerProgress(group: groupName, topic: topic)
            } catch let error as ClientError {
                guard case .noRouteInfo(let routeTopic) = error else { throw error }
                throw ToolError("consumer group [\(groupName)] not found: no route info of \(routeTopic)")
            }
            guard !stats.offsetTable.isEmpty else {
                throw ToolError("Not found the consumer group consume stats, because return offset table is empty, "
                                + "maybe the consumer not consume any message")
            }
            out.write(Self.row("#Topic", "#Broker Name", "#QID", "#Broker Offset", "#Consumer Offset", "#Client IP",
                               "#Diff", "#LastTime"))
            var diffTotal: Int64 = 0
            for (queue, offsets) in stats.offsetTable.sorted(by: { $0.key < $1.key }) {
                let diff = offsets.brokerOffset - offsets.consumerOffset
                diffTotal += diff
                let lastTime = offsets.lastTimestamp > 0 ? Tools.formatDate(millis: offsets.lastTimestamp) : "N/A"
                out.write(Self.row(queue.topic, queue.brokerName, queue.queueID, offsets.brokerOffset,
                                   offsets.consumerOffset, "N/A", diff, lastTime))
            }
            out.write("\n")
            out.write("Consume TPS: \(Tools.fixed(stats.consumeTps, 2))\n")
            out.write("Diff Total: \(diffTotal)\n")
        }
    }

    /// `%-64s  %-32s  %-4s  %-20s  %-20s  %-20s %-20s  %s%n`
    static func row(_ topic: Any, _ broker: Any, _ qid: Any, _ brokerOffset: Any, _ consumerOffset: Any,
                    _ clientIP: Any, _ diff: Any, _ lastTime: Any) -> String {
        Tools.left(topic, 64) + "  " + Tools.left(broker, 32) + "  " + Tools.left(qid, 4) + "  "
            + Tools.left(brokerOffset, 20) + "  " + Tools.left(consumerOffset, 20) + "  " + Tools.left(clientIP, 20)
            + " " + Tools.left(diff, 20) + "  \(lastTime)\n"
    }
}
