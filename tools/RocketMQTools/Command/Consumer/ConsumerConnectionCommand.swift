//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon
import RocketMQRemoting

/// `consumerConnection` (Java `ConsumerConnectionSubCommand`): the group's clients and subscriptions.
struct ConsumerConnectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consumerConnection",
        abstract: "Query consumer's socket connection, client version and subscription")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("g"), .customLong("consumerGroup")], help: "consumer group name")
    var consumerGroup: String

    func run() async throws {
        try await namesrv.withAdmin { admin in
            let connection: ConsumerConnection
            do {
                connection = try await admin.consumerConnection(group: consumerGroup)
            } catch let error as ClientError {
                guard case .noRouteInfo(let routeTopic) = error else { throw error }
                throw ToolError("consumer group [\(consumerGroup)] not found: no route info of \(routeTopic)")
            }
            for (i, c) in connection.connectionSet.enumerated() {
                out.write(Self.counter(i + 1, 3) + "  " + Tools.left(c.clientID, 32) + " " + Tools.left(c.clientAddr, 22)
                          + " " + Tools.left(c.language, 8) + " " + MQVersion.versionDescription(c.version) + "\n")
            }
            out.write("\nBelow is subscription:\n")
            for (i, entry) in connection.subscriptionTable.sorted(by: { $0.key < $1.key }).enumerated() {
                out.write(Self.counter(i + 1, 3) + "  Topic: " + Tools.left(entry.value.topic, 40)
                          + " SubExpression: " + entry.value.subString + "\n")
            }
            out.write("\n")
            out.write("ConsumeType: \(connection.consumeType.rawValue)\n")
            out.write("MessageModel: \(connection.messageModel.rawValue)\n")
            out.write("ConsumeFromWhere: \(connection.consumeFromWhere.rawValue)\n")
        }
    }

    /// Java `%03d` / `%04d`.
    static func counter(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
