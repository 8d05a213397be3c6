//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon

/// `quickstart.Producer`: 1000 messages "Hello RocketMQ N" to TopicTest, tag TagA, one SendResult a line.
struct QuickstartProducer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quickstart.Producer", abstract: "Send \"Hello RocketMQ N\" messages to TopicTest (sync).",
        aliases: ["quickstart-producer"])

    @OptionGroup var common: CommonOptions
    @Option(help: "How many messages to send.") var count = 1000
    @Option(help: "Topic to send to.") var topic = "TopicTest"

    func run() async throws {
        let producer = DefaultMQProducer(producerGroup: "please_rename_unique_group_name",
                                         clientConfig: common.clientConfig())
        try await producer.start()
        var failures = 0
        for i in 0..<count {
            do {
                let result = try await producer.send(Message(topic: topic, tags: "TagA", body: "Hello RocketMQ \(i)"))
                say(result)
            } catch {
                failures += 1
                say("send failed: \(error)")
                try? await Task.sleep(for: .seconds(1))
            }
        }
        await producer.shutdown()
        ExampleOutput.flush()
        if failures > 0 { throw ExitCode(1) }
    }
}

/// `quickstart.Consumer`: group please_rename_unique_group_name_4 reads TopicTest from the first offset.
struct QuickstartConsumer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quickstart.Consumer", abstract: "Consume TopicTest from the first offset and print each message.",
        aliases: ["quickstart-consumer"])

    @OptionGroup var common: CommonOptions
    @OptionGroup var stop: StopOptions
    @Option(help: "Topic to consume.") var topic = "TopicTest"

    func run() async throws {
        let consumer = DefaultMQPushConsumer(consumerGroup: "please_rename_unique_group_name_4",
                                             clientConfig: common.clientConfig())
        consumer.consumeFromWhere = .consumeFromFirstOffset
        try consumer.subscribe(topic, "*")
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
        say("Consumer Started.")
        let reason = await finish.wait(timeout: stop.timeout)
        await consumer.shutdown()
        say("Consumer stopped (\(reason)) after \(finish.distinctCount) messages.")
        ExampleOutput.flush()
    }
}
