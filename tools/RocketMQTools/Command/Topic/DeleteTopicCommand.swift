//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient

/// `deleteTopic` (Java `DeleteTopicSubCommand`): delete a topic from a cluster's brokers and the name servers.
struct DeleteTopicCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deleteTopic", abstract: "Delete topic from broker and NameServer.")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("t"), .customLong("topic")], help: "topic name")
    var topic: String
    @Option(name: [.customShort("c"), .customLong("clusterName")], help: "delete topic from which cluster")
    var clusterName: String

    func run() async throws {
        try await namesrv.withAdmin { admin in
            _ = try await Tools.masterAddresses(admin, cluster: clusterName)
            try await admin.deleteTopic(topic, clusterName: clusterName)
            out.write("delete topic [\(topic)] from cluster [\(clusterName)] success.\n")
            out.write("delete topic [\(topic)] from NameServer success.\n")
        }
    }
}
