//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon
import Synchronization

/// `simple.Producer`: synchronous sends of "Hello world" (tag TagA, key OrderID188) to TopicTest.
struct SimpleProducer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simple.Producer", abstract: "Synchronous send; prints each SendResult.",
        aliases: ["simple-producer"])

    @OptionGroup var common: CommonOptions
    @Option(help: "How many messages to send.") var count = 128
    @Option(help: "Topic to send to.") var topic = "TopicTest"

    func run() async throws {
        let producer = DefaultMQProducer(producerGroup: "ProducerGroupName", clientConfig: common.clientConfig())
        try await producer.start()
        for _ in 0..<count {
            let result = try await producer.send(Message(topic: topic, tags: "TagA", keys: "OrderID188", body: "Hello world"))
            say(result)
        }
        await producer.shutdown()
        ExampleOutput.flush()
    }
}

/// `simple.AsyncProducer`: sends with a completion handler and waits for every callback.
struct SimpleAsyncProducer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simple.AsyncProducer", abstract: "Asynchronous send with a completion handler.",
        aliases: ["simple-async-producer"])

    @OptionGroup var common: CommonOptions
    @Option(help: "How many messages to send.") var count = 100
    @Option(help: "Topic to send to.") var topic = "Jodie_topic_1023"
    @Option(help: "Seconds to wait for all callbacks.") var timeout: Double = 30

    func run() async throws {
        let producer = DefaultMQProducer(producerGroup: "Jodie_Daily_test", clientConfig: common.clientConfig())
        producer.retryTimesWhenSendFailed = 0
        try await producer.start()
        let outcome = Mutex((ok: 0, failed: 0))
        let total = count
        for index in 0..<count {
            let message = Message(topic: topic, tags: "TagA", keys: "OrderID188", body: "Hello world")
            producer.send(message) { result in
                switch result {
                case .success(let sendResult):
                    say("\(ExampleOutput.padRight(index, 10)) OK \(sendResult.msgID) ")
                    outcome.withLock { $0.ok += 1 }
                case .failure(let error):
                    say("\(ExampleOutput.padRight(index, 10)) Exception \(error) ")
                    outcome.withLock { $0.failed += 1 }
                }
            }
        }
        let done = await waitUntil(timeout: .milliseconds(Int64(timeout * 1000))) {
            outcome.withLock { $0.ok + $0.failed } >= total
        }
        await producer.shutdown()
        let (ok, failed) = outcome.withLock { ($0.ok, $0.failed) }
        say("Async send finished: \(ok) OK, \(failed) failed\(done ? "" : ", some callbacks did not arrive in time")")
        ExampleOutput.flush()
        if ok != total { throw ExitCode(1) }
    }
}

/// `simple.OnewayProducer`: fire-and-forget sends (no result, no retry).
struct SimpleOnewayProducer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simple.OnewayProducer", abstract: "Oneway send: no broker answer is awaited.",
        aliases: ["simple-oneway-producer"])

    @OptionGroup var common: CommonOptions
    @Option(help: "How many messages to send.") var count = 100
    @Option(help: "Topic to send to.") var topic = "TopicTest"

    func run() async throws {
        let producer = DefaultMQProducer(producerGroup: "please_rename_unique_group_name",
                                         clientConfig: common.clientConfig())
        try await producer.start()
        for i in 0..<count {
            try await producer.sendOneway(Message(topic: topic, tags: "TagA", body: "Hello RocketMQ \(i)"))
        }
        await producer.shutdown()
        say("Sent \(count) oneway messages to \(topic).")
        ExampleOutput.flush()
    }
}

/// `simple.TopicDemo`: creates a topic through the producer's admin call (`createTopic` with key TBW102).
struct SimpleTopicDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simple.TopicDemo", abstract: "Create a topic on every broker of the TBW102 cluster.",
        aliases: ["create-topic", "simple-topic-demo"])

    @OptionGroup var common: CommonOptions
    @Option(help: "Topic to create.") var topic = "TopicDemo"
    @Option(help: "Read and write queue count.") var queueNum = 8

    func run() async throws {
        let producer = DefaultMQProducer(producerGroup: "please_rename_unique_group_name",
                                         clientConfig: common.clientConfig())
        try await producer.start()
        try await producer.createTopic(key: MixAll.autoCreateTopicKeyTopic, topic: topic, queueNum: queueNum)
        say("Created topic \(topic) with \(queueNum) queues.")
        // The broker registers the new topic with the name servers right away; show the route.
        var queues = (try? await producer.fetchPublishMessageQueues(topic)) ?? []
        let deadline = ContinuousClock.now + .seconds(10)
        while queues.count < queueNum && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(200))
            queues = (try? await producer.fetchPublishMessageQueues(topic)) ?? []
        }
        for queue in queues.sorted() { say(queue) }
        await producer.shutdown()
        ExampleOutput.flush()
    }
}
