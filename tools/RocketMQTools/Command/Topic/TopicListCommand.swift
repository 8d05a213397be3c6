//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon

/// `topicList` (Java `TopicListSubCommand`): every topic the name servers know; `-c` adds the cluster
/// and the consumer groups of each topic.
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
            // As upstream: retry and DLQ topics left out, one line per consumer group (or one with none).
            out.write(Tools.left("#Cluster Name", 20) + "  " + Tools.left("#Topic", 48) + "  "
                      + Tools.left("#Consumer Group", 48) + "\n")
            let info = try? await admin.clusterInfo()
            for topic in topics where !MixAll.isRetryTopic(topic) && !topic.hasPrefix(MixAll.dlqGroupTopicPrefix) {
                let route = try? await admin.topicRoute(topic)
                let brokerName = route?.brokerDatas.map(\.brokerName).sorted().first
                let cluster = brokerName.flatMap { name in
                    info?.clusterAddrTable.first { $0.value.contains(name) }?.key ?? route?.brokerDatas.first?.cluster
                } ?? ""
                var groups = (try? await admin.topicConsumers(topic)) ?? []
                if groups.isEmpty { groups = [""] }
                for group in groups {
                    out.write(Tools.left(cluster, 20) + "  " + Tools.left(topic, 64) + "  " + Tools.left(group, 64) + "\n")
                }
            }
        }
    }
}
