//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon

/// `rpc.RequestProducer`: sends "Hello world" to RequestTopic with `request` and prints the reply.
struct RPCRequestProducer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc.RequestProducer", abstract: "Request-reply: send a request and wait for its reply.",
        aliases: ["rpc-request-producer"])

    @OptionGroup var common: CommonOptions
    @Option(help: "Topic of the requests.") var topic = "RequestTopic"
    @Option(help: "Milliseconds to wait for the reply.") var ttl: Int64 = 3000
    @Option(help: "How many requests to send, one after another.") var count = 1

    func run() async throws {
        let producer = DefaultMQProducer(producerGroup: "please_rename_unique_group_name",
                                         clientConfig: common.clientConfig())
        try await producer.start()
        var failed = 0
        for _ in 0..<count {
            let begin = Clock.millis()
            do {
                let reply = try await producer.request(Message(topic: topic, body: "Hello world"),
                                                       timeout: .milliseconds(ttl))
                say("request to <\(topic)> cost: \(Clock.millis() - begin) replyMessage: \(reply) body: \(reply.bodyString) ")
            } catch {
                failed += 1
                say("request to <\(topic)> failed: \(error)")
            }
        }
        await producer.shutdown()
        ExampleOutput.flush()
        if failed > 0 { throw ExitCode(1) }
    }
}

/// `rpc.ResponseConsumer`: consumes RequestTopic and answers each request with "reply message contents.".
struct RPCResponseConsumer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc.ResponseConsumer", abstract: "Request-reply: answer every request on RequestTopic.",
        aliases: ["rpc-response-consumer"])

    @OptionGroup var common: CommonOptions
    @OptionGroup var stop: StopOptions
    @Option(help: "Topic of the requests.") var topic = "RequestTopic"

    func run() async throws {
        let group = "please_rename_unique_group_name"
        let replyProducer = DefaultMQProducer(producerGroup: group, clientConfig: common.clientConfig())
        try await replyProducer.start()
        let consumer = DefaultMQPushConsumer(consumerGroup: group, clientConfig: common.clientConfig())
        consumer.consumeFromWhere = .consumeFromLastOffset
        try consumer.subscribe(topic, "*")
        let finish = ExampleFinish(target: stop.count)
        let workers = WorkerNames()
        consumer.registerMessageListener(concurrently: { messages, _ in
            await workers.run { name in say("\(name) Receive New Messages: \(ExampleOutput.messages(messages, showBody: false)) ") }
            for message in messages {
                say("handle message: \(message) ")
                do {
                    let reply = try MessageUtil.createReplyMessage(message, body: Array("reply message contents.".utf8))
                    let result = try await replyProducer.send(reply)
                    say("reply to \(message.properties[MessageConst.messageReplyToClient] ?? "?") , \(result) ")
                } catch {
                    say("reply failed: \(error)")
                }
                finish.record(message.msgID)
            }
            return .consumeSuccess
        })
        try await consumer.start()
        say("Consumer Started.")
        let reason = await finish.wait(timeout: stop.timeout)
        await consumer.shutdown()
        await replyProducer.shutdown()
        say("Consumer stopped (\(reason)) after \(finish.distinctCount) messages.")
        ExampleOutput.flush()
    }
}
