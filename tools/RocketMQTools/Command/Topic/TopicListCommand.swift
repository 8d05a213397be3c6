//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient

/// `topicList` (Java `TopicListSubCommand`): every topic the name servers know; `-c` adds the cluster.
struct TopicListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topicList", abstract: "Fetch all topic list from name server")

    @OptionGroup var namesrv: NamesrvOptions
    @Flag(name: [.customShort("c"), .customLong("clusterModel")], help: "print the cluster of each topic")
    var clusterModel = false

    func run() async throws {
        try await namesrv.withAdmin { admin in
            let topics = try await admin.topicList().sorted()
            guard clusterModel else {
                for topic in topics { out.write(topic + "\n") }
                return
            }
            out.write(Tools.left("#Cluster Name", 20) + "  " + Tools.left("#Topic", 48) + "  "
                      + Tools.left("#Consumer Group", 48) + "\n")
            for topic in topics {
                guard let route = try? await admin.topicRoute(topic) else { continue }
                let clusters = Set(route.brokerDatas.map(\.cluster)).sorted()
                for cluster in clusters {
                    out.write(Tools.left(cluster, 20) + "  " + Tools.left(topic, 48) + "  " + Tools.left("", 48) + "\n")
                }
            }
        }
    }
}
