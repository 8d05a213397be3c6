//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient

/// `getBrokerConfig` (Java `GetBrokerConfigCommand`): the broker's configuration, one `key=  value` a line.
struct GetBrokerConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "getBrokerConfig", abstract: "Get broker config by cluster or special broker!")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("b"), .customLong("brokerAddr")], help: "get which broker")
    var brokerAddr: String?
    @Option(name: [.customShort("c"), .customLong("clusterName")], help: "get which cluster")
    var clusterName: String?

    func run() async throws {
        try await namesrv.withAdmin { admin in
            for address in try await Tools.targetAddresses(admin, brokerAddr: brokerAddr, cluster: clusterName) {
                let config = try await admin.brokerConfig(brokerAddr: address)
                out.write(brokerAddr != nil ? "============\(address)============\n"
                                            : "============Master: \(address)============\n")
                for (key, value) in config.sorted(by: { $0.key < $1.key }) {
                    out.write(Tools.left(key, 50) + "=  \(value)\n")             // %-50s=  %s
                }
            }
        }
    }
}
