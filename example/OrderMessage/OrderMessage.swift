//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon

/// `ordermessage.Producer`: 100 messages, order id `i % 10`; a selector sends every order id to one queue.
struct OrderProducer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ordermessage.Producer", abstract: "Send ordered messages: same order id, same queue.",
        aliases: ["ordermessage-producer"])

    @OptionGroup var common: CommonOptions
    @Option(help: "How many messages to send.") var count = 100
    @Option(help: "Topic to send to.") var topic = "TopicTest"

    func run() async throws {
        let producer = DefaultMQProducer(producerGroup: "please_rename_unique_group_name",
                                         clientConfig: common.clientConfig())
        try await producer.start()
        let tags = ["TagA", "TagB", "TagC", "TagD", "TagE"]
        for i in 0..<count {
            let orderID = i % 10
            let message = Message(topic: topic, tags: tags[i % tags.count], keys: "KEY\(i)", body: "Hello RocketMQ \(i)")
            let result = try await producer.send(message, selector: { queues, _, id in
                queues[id % queues.count]
            }, arg: orderID)
            say(result)
        }
        await producer.shutdown()
        ExampleOutput.flush()
    }
}

/// `ordermessage.Consumer`: an orderly listener over TagA, TagC and TagD of TopicTest.
struct OrderConsumer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ordermessage.Consumer", abstract: "Consume in queue order with an orderly listener.",
        aliases: ["ordermessage-consumer"])

    @OptionGroup var common: CommonOptions
    @OptionGroup var stop: StopOptions
    @Option(help: "Topic to consume.") var topic = "TopicTest"

    func run() async throws {
        let consumer = DefaultMQPushConsumer(consumerGroup: "please_rename_unique_group_name_3",
                                             clientConfig: common.clientConfig())
        consumer.consumeFromWhere = .consumeFromFirstOffset
        try consumer.subscribe(topic, "TagA || TagC || TagD")
        let finish = ExampleFinish(target: stop.count)
        let workers = WorkerNames()
        let showBody = stop.showBody
        consumer.registerMessageListener(orderly: { messages, _ in
            await workers.run { name in
                say("\(name) Receive New Messages: \(ExampleOutput.messages(messages, showBody: showBody)) ")
            }
            for message in messages { finish.record(message.msgID) }
            return .success
        })
        try await consumer.start()
        say("Consumer Started.")
        let reason = await finish.wait(timeout: stop.timeout)
        await consumer.shutdown()
        say("Consumer stopped (\(reason)) after \(finish.distinctCount) messages.")
        ExampleOutput.flush()
    }
}
