//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon
import RocketMQRemoting

/// `consumerProgress` (Java `ConsumerProgressSubCommand`): per-queue broker/consumer offsets and the lag
/// of one group (`-g`), or without `-g` one line per consumer group found through its retry topic.
struct ConsumerProgressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consumerProgress", abstract: "Query consumers's progress, speed")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("g"), .customLong("groupName")], help: "consumer group name (default: every group)")
    var groupName: String?
    @Option(name: [.customShort("t"), .customLong("topicName")], help: "topic name (default: all of the group)")
    var topic: String?
    @Option(name: [.customShort("s"), .customLong("showClientIP")], help: "Show Client IP per Queue")
    var showClientIP: Bool = false

    func run() async throws {
        guard let groupName else { return try await allGroups() }
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

    /// Every group that has a retry topic: connections, client version, type, model, TPS and total lag.
    /// A group whose stats or connections cannot be read still gets its line (as upstream, "OFFLINE").
    func allGroups() async throws {
        try await namesrv.withAdmin { admin in
            let topics = try await admin.topicList()
            out.write(Self.groupRow("#Group", "#Count", "#Version", "#Type", "#Model", "#TPS", "#Diff Total"))
            for topic in topics.sorted() where topic.hasPrefix(MixAll.retryGroupTopicPrefix) {
                let group = String(topic.dropFirst(MixAll.retryGroupTopicPrefix.count))
                let stats = try? await admin.consumerProgress(group: group)
                let connection = try? await admin.consumerConnection(group: group)
                let count = connection?.connectionSet.count ?? 0
                var version = "OFFLINE", type = "", model = ""
                if let connection, count > 0 {
                    let minVersion = connection.connectionSet.map(\.version).min() ?? 0
                    version = MQVersion.versionDescription(minVersion)
                    type = connection.consumeType == .consumeActively ? "PULL" : "PUSH"
                    if connection.consumeType == .consumePassively { model = connection.messageModel.rawValue }
                }
                let tps = Int(stats?.consumeTps ?? 0)
                let diff = stats?.offsetTable.values.reduce(Int64(0)) { $0 + $1.brokerOffset - $1.consumerOffset } ?? 0
                out.write(Self.groupRow(group, count, version, type, model, tps, diff))
            }
        }
    }

    /// `%-64s  %-6s  %-24s %-5s  %-14s  %-7s  %s%n`
    static func groupRow(_ group: Any, _ count: Any, _ version: Any, _ type: Any, _ model: Any, _ tps: Any,
                         _ diff: Any) -> String {
        Tools.left(group, 64) + "  " + Tools.left(count, 6) + "  " + Tools.left(version, 24) + " " + Tools.left(type, 5)
            + "  " + Tools.left(model, 14) + "  " + Tools.left(tps, 7) + "  \(diff)\n"
    }

    /// `%-64s  %-32s  %-4s  %-20s  %-20s  %-20s %-20s  %s%n`
    static func row(_ topic: Any, _ broker: Any, _ qid: Any, _ brokerOffset: Any, _ consumerOffset: Any,
                    _ clientIP: Any, _ diff: Any, _ lastTime: Any) -> String {
        Tools.left(topic, 64) + "  " + Tools.left(broker, 32) + "  " + Tools.left(qid, 4) + "  "
            + Tools.left(brokerOffset, 20) + "  " + Tools.left(consumerOffset, 20) + "  " + Tools.left(clientIP, 20)
            + " " + Tools.left(diff, 20) + "  \(lastTime)\n"
    }
}
