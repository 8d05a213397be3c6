//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon

/// `filterplugin.Consumer`: subscribes with a custom expression type, `KEY_PREFIX`, that a broker filter
/// plugin evaluates (messages whose keys start with the prefix). A broker without that plugin refuses
/// the subscription; the refusal is printed.
struct FilterPluginConsumer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filterplugin.Consumer", abstract: "Consume with the broker plugin's KEY_PREFIX expression type.",
        aliases: ["filterplugin-consumer"])

    @OptionGroup var common: CommonOptions
    @OptionGroup var stop: StopOptions
    @Option(help: "Topic to consume.") var topic = "FilterPluginTest"
    @Option(help: "Expression type registered by the broker plugin.") var expressionType = "KEY_PREFIX"
    @Option(help: "Key prefix to match.") var prefix = "order-"

    func run() async throws {
        let consumer = DefaultMQPushConsumer(consumerGroup: "FilterPluginConsumerGroup", clientConfig: common.clientConfig())
        consumer.consumeFromWhere = .consumeFromFirstOffset
        try consumer.subscribe(topic, selector: MessageSelector(expressionType: expressionType, expression: prefix))
        do {
            try await runPrintingConsumer(consumer, stop: stop)
        } catch let error as ClientError where error.responseCode != nil {
            say("The broker refused the \(expressionType) subscription: \(error)")
            ExampleOutput.flush()
            throw ExitCode(2)
        }
    }
}
