//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon

/// `batch.SimpleBatchProducer`: three messages of one topic in one SEND_BATCH_MESSAGE request.
struct SimpleBatchProducer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch.SimpleBatchProducer", abstract: "Send a batch of messages in one request.",
        aliases: ["batch-producer"])

    @OptionGroup var common: CommonOptions
    @Option(help: "Messages in the batch.") var count = 3
    @Option(help: "Topic to send to.") var topic = "BatchTest"

    func run() async throws {
        let producer = DefaultMQProducer(producerGroup: "BatchProducerGroupName", clientConfig: common.clientConfig())
        try await producer.start()
        var messages: [Message] = []
        for i in 0..<count {
            let key = "OrderID" + String(repeating: "0", count: max(0, 3 - String(i + 1).count)) + String(i + 1)
            messages.append(Message(topic: topic, tags: "TagA", keys: key, body: "Hello world \(i)"))
        }
        let result = try await producer.send(messages)
        say(result)
        await producer.shutdown()
        ExampleOutput.flush()
    }
}
