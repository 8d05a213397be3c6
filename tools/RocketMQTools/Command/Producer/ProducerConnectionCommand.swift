//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon
import RocketMQRemoting

/// `producerConnection` (Java `ProducerConnectionSubCommand`): the producer group's clients.
struct ProducerConnectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "producerConnection", abstract: "Query producer's socket connection and client version")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("g"), .customLong("producerGroup")], help: "producer group name")
    var producerGroup: String
    @Option(name: [.customShort("t"), .customLong("topic")], help: "topic name")
    var topic: String

    func run() async throws {
        try await namesrv.withAdmin { admin in
            _ = try await Tools.topicRoute(admin, topic)
            let connection = try await admin.producerConnection(group: producerGroup, topic: topic)
            for (i, c) in connection.connectionSet.sorted(by: { $0.clientID < $1.clientID }).enumerated() {
                out.write(ConsumerConnectionCommand.counter(i + 1, 4) + "  " + Tools.left(c.clientID, 32) + " "
                          + Tools.left(c.clientAddr, 22) + " " + Tools.left(c.language, 8) + " "
                          + MQVersion.versionDescription(c.version) + "\n")
            }
        }
    }
}
