//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon
import RocketMQRemoting

/// `updateTopic` (Java `UpdateTopicSubCommand`): create or update a topic on one broker or a whole cluster.
struct UpdateTopicCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "updateTopic", abstract: "Update or create topic")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("b"), .customLong("brokerAddr")], help: "create topic to which broker")
    var brokerAddr: String?
    @Option(name: [.customShort("c"), .customLong("clusterName")], help: "create topic to which cluster")
    var clusterName: String?
    @Option(name: [.customShort("t"), .customLong("topic")], help: "topic name")
    var topic: String
    @Option(name: [.customShort("r"), .customLong("readQueueNums")], help: "set read queue nums")
    var readQueueNums: Int32 = 8
    @Option(name: [.customShort("w"), .customLong("writeQueueNums")], help: "set write queue nums")
    var writeQueueNums: Int32 = 8
    @Option(name: [.customShort("p"), .customLong("perm")], help: "set topic's permission(2|4|6), intro[2:W 4:R; 6:RW]")
    var perm: Int32?
    @Option(name: [.customShort("o"), .customLong("order")], help: "set topic's order(true|false)")
    var order: Bool = false

    func run() async throws {
        if let problem = TopicValidator.validate(topic) { throw ToolError(problem) }
        var config = TopicConfig(topicName: topic, readQueueNums: readQueueNums, writeQueueNums: writeQueueNums)
        if let perm { config.perm = perm }
        config.order = order
        try await namesrv.withAdmin { admin in
            for address in try await Tools.targetAddresses(admin, brokerAddr: brokerAddr, cluster: clusterName) {
                try await admin.createTopic(brokerAddr: address, config: config)
                out.write("create topic to \(address) success.\n")
            }
            if order, let clusterName {
                // As upstream: the order conf "brokerName:writeQueueNums;..." goes to the name servers' KV config.
                let names = try await admin.clusterInfo().clusterAddrTable[clusterName]?.sorted() ?? []
                let orderConf = names.map { "\($0):\(writeQueueNums)" }.joined(separator: ";")
                try await admin.putKVConfig(namespace: "ORDER_TOPIC_CONFIG", key: topic, value: orderConf)
                out.write("set cluster orderConf. isOrder=\(order), orderConf=[\(orderConf)]\n")
            }
            out.write(config.javaDescription + "\n")
        }
    }
}
