//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon

/// `filter.TagFilterProducer`: TagA, TagB and TagC in turn to TagFilterTest.
struct TagFilterProducer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter.TagFilterProducer", abstract: "Send messages tagged TagA, TagB, TagC in turn.",
        aliases: ["tag-filter-producer"])

    @OptionGroup var common: CommonOptions
    @Option(help: "How many messages to send.") var count = 60
    @Option(help: "Topic to send to.") var topic = "TagFilterTest"

    func run() async throws {
        let producer = DefaultMQProducer(producerGroup: "please_rename_unique_group_name",
                                         clientConfig: common.clientConfig())
        try await producer.start()
        let tags = ["TagA", "TagB", "TagC"]
        for i in 0..<count {
            say(try await producer.send(Message(topic: topic, tags: tags[i % tags.count], body: "Hello world \(i)")))
        }
        await producer.shutdown()
        ExampleOutput.flush()
    }
}

/// `filter.TagFilterConsumer`: subscribes with `TagA || TagC`; the broker filters by tag hash.
struct TagFilterConsumer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter.TagFilterConsumer", abstract: "Consume only TagA and TagC.",
        aliases: ["tag-filter-consumer"])

    @OptionGroup var common: CommonOptions
    @OptionGroup var stop: StopOptions
    @Option(help: "Topic to consume.") var topic = "TagFilterTest"

    func run() async throws {
        let consumer = DefaultMQPushConsumer(consumerGroup: "please_rename_unique_group_name",
                                             clientConfig: common.clientConfig())
        consumer.consumeFromWhere = .consumeFromFirstOffset
        try consumer.subscribe(topic, "TagA || TagC")
        try await runPrintingConsumer(consumer, stop: stop)
    }
}

/// Registers the upstream-style printing listener, starts, waits for `stop`, shuts down.
func runPrintingConsumer(_ consumer: DefaultMQPushConsumer, stop: StopOptions,
                         started: String = "Consumer Started.") async throws {
    let finish = ExampleFinish(target: stop.count)
    let workers = WorkerNames()
    let showBody = stop.showBody
    consumer.registerMessageListener(concurrently: { messages, _ in
        await workers.run { name in
            say("\(name) Receive New Messages: \(ExampleOutput.messages(messages, showBody: showBody)) ")
        }
        for message in messages { finish.record(message.msgID) }
        return .consumeSuccess
    })
    try await consumer.start()
    say(started)
    let reason = await finish.wait(timeout: stop.timeout)
    await consumer.shutdown()
    say("Consumer stopped (\(reason)) after \(finish.distinctCount) messages.")
    ExampleOutput.flush()
}
