//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQRemoting

/// `resetOffsetByTime` (Java `ResetOffsetByTimeCommand`): move a group's offsets on a topic to a time.
struct ResetOffsetByTimeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resetOffsetByTime", abstract: "Reset consumer offset by timestamp(without client restart).")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("g"), .customLong("group")], help: "set the consumer group")
    var group: String
    @Option(name: [.customShort("t"), .customLong("topic")], help: "set the topic")
    var topic: String
    @Option(name: [.customShort("s"), .customLong("timestamp")],
            help: "set the timestamp[now|currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]")
    var timestamp: String
    @Option(name: [.customShort("f"), .customLong("force")], help: "set the force rollback by timestamp switch[true|false]")
    var force: Bool = true

    func run() async throws {
        guard let millis = Tools.parseTimestamp(timestamp) else {
            throw ToolError("bad timestamp '\(timestamp)': use now, epoch milliseconds or yyyy-MM-dd#HH:mm:ss:SSS")
        }
        try await namesrv.withAdmin { admin in
            _ = try await Tools.topicRoute(admin, topic)
            let table = try await admin.resetOffsetByTime(topic: topic, group: group, timestamp: millis, isForce: force)
            out.write("rollback consumer offset by specified group[\(group)], topic[\(topic)], force[\(force)], "
                      + "timestamp(string)[\(timestamp)], timestamp(long)[\(millis)]\n")
            out.write(Tools.left("#brokerName", 40) + "  " + Tools.left("#queueId", 40) + "  " + Tools.left("#offset", 40) + "\n")
            for (queue, offset) in table.sorted(by: { $0.key < $1.key }) {
                out.write(Tools.left(queue.brokerName, 40) + "  " + Tools.left(queue.queueID, 40) + "  "
                          + Tools.left(offset, 40) + "\n")
            }
        }
    }
}
