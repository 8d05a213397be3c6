//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQRemoting

/// `topicRoute` (Java `TopicRouteSubCommand`): the topic's route data as JSON.
struct TopicRouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "topicRoute", abstract: "Examine topic route info")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("t"), .customLong("topic")], help: "topic name")
    var topic: String

    func run() async throws {
        try await namesrv.withAdmin { admin in
            let route = try await Tools.topicRoute(admin, topic)
            out.write(route.jsonString + "\n")
        }
    }
}
