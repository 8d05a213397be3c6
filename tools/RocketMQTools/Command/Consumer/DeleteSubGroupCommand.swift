//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient

/// `deleteSubGroup` (Java `DeleteSubscriptionGroupCommand`): remove a subscription group from brokers.
struct DeleteSubGroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deleteSubGroup", abstract: "Delete subscription group from broker.")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("b"), .customLong("brokerAddr")], help: "delete subscription group from which broker")
    var brokerAddr: String?
    @Option(name: [.customShort("c"), .customLong("clusterName")], help: "delete subscription group from which cluster")
    var clusterName: String?
    @Option(name: [.customShort("g"), .customLong("groupName")], help: "subscription group name")
    var groupName: String
    @Option(name: [.customShort("r"), .customLong("removeOffset")], help: "remove offset")
    var removeOffset: Bool = false

    func run() async throws {
        try await namesrv.withAdmin { admin in
            for address in try await Tools.targetAddresses(admin, brokerAddr: brokerAddr, cluster: clusterName) {
                try await admin.deleteSubscriptionGroup(brokerAddr: address, groupName: groupName,
                                                        removeOffset: removeOffset)
                if let clusterName, brokerAddr == nil {
                    out.write("delete subscription group [\(groupName)] from broker [\(address)] in cluster "
                              + "[\(clusterName)] success.\n")
                } else {
                    out.write("delete subscription group [\(groupName)] from broker [\(address)] success.\n")
                }
            }
        }
    }
}
