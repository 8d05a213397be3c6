//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQRemoting

/// `topicStatus` (Java `TopicStatusSubCommand`): min/max offset and last update of each queue.
struct TopicStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "topicStatus", abstract: "Examine topic Status info")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("t"), .customLong("topic")], help: "topic name")
    var topic: String
    @Option(name: [.customShort("c"), .customLong("cluster")], help: "cluster name (accepted, not used)")
    var cluster: String?

    func run() async throws {
        try await namesrv.withAdmin { admin in
            _ = try await Tools.topicRoute(admin, topic)
            let stats = try await admin.topicStats(topic)
            out.write(Self.row("#Broker Name", "#QID", "#Min Offset", "#Max Offset", "#Last Updated"))
            for (queue, offsets) in stats.offsetTable.sorted(by: { $0.key < $1.key }) {
                let updated = offsets.lastUpdateTimestamp > 0 ? Tools.formatDate(millis: offsets.lastUpdateTimestamp) : ""
                out.write(Self.row(queue.brokerName, queue.queueID, offsets.minOffset, offsets.maxOffset, updated))
            }
        }
    }

    /// `%-32s  %-4s  %-20s  %-20s    %s%n`
    static func row(_ broker: Any, _ qid: Any, _ min: Any, _ max: Any, _ updated: Any) -> String {
        Tools.left(broker, 32) + "  " + Tools.left(qid, 4) + "  " + Tools.left(min, 20) + "  " + Tools.left(max, 20)
            + "    \(updated)\n"
    }
}
