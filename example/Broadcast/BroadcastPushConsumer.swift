//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon

/// `broadcast.PushConsumer`: every member of the group receives every message; offsets are kept in a
/// local file per client (`~/.rocketmq_offsets` or `--offset-dir`).
struct BroadcastPushConsumer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broadcast.PushConsumer", abstract: "Broadcasting consumer of TopicTest (TagA, TagC, TagD).",
        aliases: ["broadcast-consumer"])

    @OptionGroup var common: CommonOptions
    @OptionGroup var stop: StopOptions
    @Option(help: "Topic to consume.") var topic = "TopicTest"
    @Option(help: "Subscription expression.") var expression = "TagA || TagC || TagD"
    @Option(help: "Client instance name (two consumers in one host need different names).") var instanceName = "DEFAULT"
    @Option(help: "Folder of the local offset files.") var offsetDir: String?

    func run() async throws {
        var config = common.clientConfig(instanceName: instanceName)
        config.localOffsetStoreDir = offsetDir
        let consumer = DefaultMQPushConsumer(consumerGroup: "please_rename_unique_group_name_1", clientConfig: config)
        consumer.consumeFromWhere = .consumeFromFirstOffset
        consumer.messageModel = .broadcasting
        try consumer.subscribe(topic, expression)
        try await runPrintingConsumer(consumer, stop: stop, started: "Broadcast Consumer Started.")
    }
}
