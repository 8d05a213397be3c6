//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon

/// `tracemessage.TraceProducer`: sends with message trace on; the records go to RMQ_SYS_TRACE_TOPIC
/// (see them with `mqadmin queryMsgTraceById -i <msgId>`).
struct TraceProducerExample: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracemessage.TraceProducer", abstract: "Traced sends to TopicTest; prints each SendResult.",
        aliases: ["trace-producer"])

    @OptionGroup var common: CommonOptions
    @Option(help: "How many messages to send.") var count = 128
    @Option(help: "Topic to send to.") var topic = "TopicTest"
    @Option(help: "Trace topic (default RMQ_SYS_TRACE_TOPIC).") var traceTopic: String?

    func run() async throws {
        let producer = DefaultMQProducer(producerGroup: "ProducerGroupName", clientConfig: common.clientConfig(),
                                         enableMsgTrace: true, customizedTraceTopic: traceTopic)
        try await producer.start()
        for _ in 0..<count {
            say(try await producer.send(Message(topic: topic, tags: "TagA", keys: "OrderID188", body: "Hello world")))
        }
        await producer.shutdown()  // sends the queued trace records first
        ExampleOutput.flush()
    }
}

/// `tracemessage.TracePushConsumer`: consumes TopicTest with message trace on (SubBefore/SubAfter records).
struct TracePushConsumerExample: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracemessage.TracePushConsumer", abstract: "Traced push consumer of TopicTest.",
        aliases: ["trace-consumer"])

    @OptionGroup var common: CommonOptions
    @OptionGroup var stop: StopOptions
    @Option(help: "Topic to consume.") var topic = "TopicTest"
    @Option(help: "Trace topic (default RMQ_SYS_TRACE_TOPIC).") var traceTopic: String?

    func run() async throws {
        let consumer = DefaultMQPushConsumer(consumerGroup: "ProducerGroupName", clientConfig: common.clientConfig(),
                                             enableMsgTrace: true, customizedTraceTopic: traceTopic)
        consumer.consumeFromWhere = .consumeFromFirstOffset
        try consumer.subscribe(topic, "*")
        try await runPrintingConsumer(consumer, stop: stop)
    }
}
