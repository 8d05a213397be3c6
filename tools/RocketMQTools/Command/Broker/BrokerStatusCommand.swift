//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient

/// `brokerStatus` (Java `BrokerStatusSubCommand`): the broker's runtime key/values, sorted by key.
struct BrokerStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "brokerStatus", abstract: "Fetch broker runtime status data")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("b"), .customLong("brokerAddr")], help: "Broker address")
    var brokerAddr: String?
    @Option(name: [.customShort("c"), .customLong("clusterName")], help: "which cluster")
    var clusterName: String?

    func run() async throws {
        try await namesrv.withAdmin { admin in
            let addresses = try await Tools.targetAddresses(admin, brokerAddr: brokerAddr, cluster: clusterName)
            for address in addresses {
                let table = try await admin.brokerRuntimeInfo(brokerAddr: address)
                for (key, value) in table.sorted(by: { $0.key < $1.key }) {
                    if brokerAddr != nil {
                        out.write(Tools.left(key, 32) + ": \(value)\n")           // %-32s: %s%n
                    } else {
                        out.write(Tools.left(address, 24) + " " + Tools.left(key, 32) + ": \(value)\n")
                    }
                }
            }
        }
    }
}
