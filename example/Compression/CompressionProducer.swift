//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon
import Synchronization

/// `compression.Producer`: bodies over 4 KiB sent zlib- and lz4-compressed, then read back by a consumer
/// that checks each body is exactly what was sent.
struct CompressionProducer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compression.Producer",
        abstract: "Send zlib and lz4 compressed bodies (> 4 KiB) and verify them on the consumer side.",
        aliases: ["compression-producer"])

    @OptionGroup var common: CommonOptions
    @Option(help: "Messages per compression type.") var count = 5
    @Option(help: "Topic to use.") var topic = "CompressionTest"
    @Option(help: "Seconds to wait for the consumer to see every message.") var timeout: Double = 30

    /// A compressible body of about 8 KiB that names its type and index.
    static func body(type: String, index: Int) -> String {
        let line = "\(type) message \(index): RocketMQ compresses bodies over compressMsgBodyOverHowmuch. "
        return String(repeating: line, count: 8192 / line.utf8.count + 1)
    }

    func run() async throws {
        let config = common.clientConfig()
        var expected: [String: String] = [:]
        for (name, configure) in [("zlib", { (p: DefaultMQProducer) in p.compressionType = .zlib }),
                                  ("lz4", { (p: DefaultMQProducer) in p.compressionType = .lz4 })] {
            let producer = DefaultMQProducer(producerGroup: "CompressionProducerGroup_\(name)",
                                             clientConfig: config)
            configure(producer)
            producer.compressMsgBodyOverHowmuch = 4096
            try await producer.start()
            for i in 0..<count {
                let text = Self.body(type: name, index: i)
                let result = try await producer.send(Message(topic: topic, tags: name, keys: "\(name)-\(i)", body: text))
                expected[result.msgID] = text
                say("\(name) \(text.utf8.count) bytes: \(result)")
            }
            await producer.shutdown()
        }

        let verified = Mutex((ok: Set<String>(), bad: [String]()))
        let consumer = DefaultMQPushConsumer(consumerGroup: "CompressionConsumerGroup", clientConfig: config)
        consumer.consumeFromWhere = .consumeFromFirstOffset
        try consumer.subscribe(topic, "*")
        let want = expected
        consumer.registerMessageListener(concurrently: { messages, _ in
            for message in messages {
                let same = want[message.msgID] == message.bodyString
                verified.withLock { v in
                    if same { v.ok.insert(message.msgID) } else { v.bad.append(message.msgID) }
                }
                say("Received \(message.tags ?? "") \(message.body.count) bytes, body \(same ? "verified" : "MISMATCH") msgId=\(message.msgID)")
            }
            return .consumeSuccess
        })
        try await consumer.start()
        let done = await waitUntil(timeout: .milliseconds(Int64(timeout * 1000))) {
            verified.withLock { $0.ok.count } >= want.count
        }
        await consumer.shutdown()
        let (ok, bad) = verified.withLock { ($0.ok.count, $0.bad.count) }
        say("Compression round trip: \(ok) of \(want.count) bodies verified, \(bad) mismatched.")
        ExampleOutput.flush()
        if !done || bad > 0 { throw ExitCode(1) }
    }
}
