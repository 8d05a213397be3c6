//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient

/// `updateBrokerConfig` (Java `UpdateBrokerConfigSubCommand`): change one config key on a broker or cluster.
struct UpdateBrokerConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "updateBrokerConfig", abstract: "Update broker's config")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("b"), .customLong("brokerAddr")], help: "update which broker")
    var brokerAddr: String?
    @Option(name: [.customShort("c"), .customLong("clusterName")], help: "update which cluster")
    var clusterName: String?
    @Option(name: [.customShort("k"), .customLong("key")], help: "config key")
    var key: String
    @Option(name: [.customShort("v"), .customLong("value")], help: "config value")
    var value: String

    func run() async throws {
        try await namesrv.withAdmin { admin in
            for address in try await Tools.targetAddresses(admin, brokerAddr: brokerAddr, cluster: clusterName) {
                try await admin.updateBrokerConfig(brokerAddr: address, properties: [key: value])
                out.write("update broker config success, \(address)\n")
            }
        }
    }
}
