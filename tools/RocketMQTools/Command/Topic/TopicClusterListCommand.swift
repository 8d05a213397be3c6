//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQRemoting

/// `topicClusterList` (Java `TopicClusterSubCommand`): the clusters a topic lives in.
struct TopicClusterListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topicClusterList", abstract: "Get cluster info for topic")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("t"), .customLong("topic")], help: "topic name")
    var topic: String

    func run() async throws {
        try await namesrv.withAdmin { admin in
            let route = try await Tools.topicRoute(admin, topic)
            for cluster in Set(route.brokerDatas.map(\.cluster)).sorted() { out.write(cluster + "\n") }
        }
    }
}
