//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon

/// `simple.PullConsumer`: a lite pull consumer (upstream `LitePullConsumerSubscribe`) polling TopicTest.
struct SimplePullConsumer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simple.PullConsumer", abstract: "Lite pull consumer: subscribe, then poll in a loop.",
        aliases: ["simple-pull-consumer", "simple.LitePullConsumerSubscribe"])

    @OptionGroup var common: CommonOptions
    @OptionGroup var stop: StopOptions
    @Option(help: "Topic to consume.") var topic = "TopicTest"

    func run() async throws {
        let consumer = DefaultLitePullConsumer(consumerGroup: "lite_pull_consumer_test",
                                               clientConfig: common.clientConfig())
        consumer.consumeFromWhere = .consumeFromFirstOffset
        try consumer.subscribe(topic, "*")
        try await consumer.start()
        let finish = ExampleFinish(target: stop.count)
        let showBody = stop.showBody
        let poller = Task {
            while !Task.isCancelled {
                guard let messages = try? await consumer.poll(timeout: .seconds(1)) else { return }
                if messages.isEmpty { continue }
                say(ExampleOutput.messages(messages, showBody: showBody))
                for message in messages { finish.record(message.msgID) }
            }
        }
        let reason = await finish.wait(timeout: stop.timeout)
        poller.cancel()
        await poller.value
        await consumer.commitSync()
        await consumer.shutdown()
        say("Consumer stopped (\(reason)) after \(finish.distinctCount) messages.")
        ExampleOutput.flush()
    }
}
