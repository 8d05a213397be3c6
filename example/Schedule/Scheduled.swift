//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon

/// `schedule.ScheduledMessageProducer`: messages with delay level 3 (10 s with the default levels).
struct ScheduledMessageProducer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule.ScheduledMessageProducer", abstract: "Send messages with delay level 3.",
        aliases: ["schedule-producer"])

    @OptionGroup var common: CommonOptions
    @Option(help: "How many messages to send.") var count = 100
    @Option(help: "Topic to send to.") var topic = "TestTopic"
    @Option(help: "Delay level (1-based index into the broker's messageDelayLevel).") var delayLevel = 3

    func run() async throws {
        let producer = DefaultMQProducer(producerGroup: "ExampleProducerGroup", clientConfig: common.clientConfig())
        try await producer.start()
        for i in 0..<count {
            var message = Message(topic: topic, body: "Hello scheduled message \(i)")
            message.delayTimeLevel = delayLevel
            say(try await producer.send(message))
        }
        await producer.shutdown()
        ExampleOutput.flush()
    }
}

/// `schedule.ScheduledMessageConsumer`: prints how long after its birth each message arrived.
struct ScheduledMessageConsumer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule.ScheduledMessageConsumer", abstract: "Print the delay of each scheduled message.",
        aliases: ["schedule-consumer"])

    @OptionGroup var common: CommonOptions
    @OptionGroup var stop: StopOptions
    @Option(help: "Topic to consume.") var topic = "TestTopic"

    func run() async throws {
        let consumer = DefaultMQPushConsumer(consumerGroup: "ExampleConsumer", clientConfig: common.clientConfig())
        consumer.consumeFromWhere = .consumeFromFirstOffset
        try consumer.subscribe(topic, "*")
        let finish = ExampleFinish(target: stop.count)
        consumer.registerMessageListener(concurrently: { messages, _ in
            for message in messages {
                let delay = Clock.millis() - message.bornTimestamp
                say("Receive message[msgId=\(message.msgID)] \(delay)ms later")
                finish.record(message.msgID)
            }
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
