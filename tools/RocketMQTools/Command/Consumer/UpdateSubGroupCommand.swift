//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQRemoting

/// `updateSubGroup` (Java `UpdateSubGroupSubCommand`): create or update a subscription group.
struct UpdateSubGroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "updateSubGroup", abstract: "Update or create subscription group")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("b"), .customLong("brokerAddr")], help: "create subscription group to which broker")
    var brokerAddr: String?
    @Option(name: [.customShort("c"), .customLong("clusterName")], help: "create subscription group to which cluster")
    var clusterName: String?
    @Option(name: [.customShort("g"), .customLong("groupName")], help: "consumer group name")
    var groupName: String
    @Option(name: [.customShort("s"), .customLong("consumeEnable")], help: "consume enable")
    var consumeEnable: Bool = true
    @Option(name: [.customShort("m"), .customLong("consumeFromMinEnable")], help: "from min offset")
    var consumeFromMinEnable: Bool = false
    @Option(name: [.customShort("d"), .customLong("consumeBroadcastEnable")], help: "broadcast")
    var consumeBroadcastEnable: Bool = false
    @Option(name: [.customShort("q"), .customLong("retryQueueNums")], help: "retry queue nums")
    var retryQueueNums: Int32 = 1
    @Option(name: [.customShort("r"), .customLong("retryMaxTimes")], help: "retry max times")
    var retryMaxTimes: Int32 = 16
    @Option(name: [.customShort("i"), .customLong("brokerId")], help: "consumer from which broker id")
    var brokerID: Int64 = 0
    @Option(name: [.customShort("w"), .customLong("whichBrokerWhenConsumeSlowly")],
            help: "which broker id when consume slowly")
    var whichBrokerWhenConsumeSlowly: Int64 = 1
    @Option(name: [.customShort("a"), .customLong("notifyConsumerIdsChanged")], help: "notify consumerId changed")
    var notifyConsumerIdsChanged: Bool = true

    func run() async throws {
        var config = SubscriptionGroupConfig(groupName: groupName)
        config.consumeEnable = consumeEnable
        config.consumeFromMinEnable = consumeFromMinEnable
        config.consumeBroadcastEnable = consumeBroadcastEnable
        config.retryQueueNums = retryQueueNums
        config.retryMaxTimes = retryMaxTimes
        config.brokerID = brokerID
        config.whichBrokerWhenConsumeSlowly = whichBrokerWhenConsumeSlowly
        config.notifyConsumerIdsChangedEnable = notifyConsumerIdsChanged
        try await namesrv.withAdmin { admin in
            for address in try await Tools.targetAddresses(admin, brokerAddr: brokerAddr, cluster: clusterName) {
                try await admin.updateSubscriptionGroup(brokerAddr: address, config: config)
                out.write("create subscription group to \(address) success.\n")
            }
            out.write(config.javaDescription + "\n")
        }
    }
}
