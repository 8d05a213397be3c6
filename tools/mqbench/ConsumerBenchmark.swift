//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import Logging
import RocketMQClient
import RocketMQCommon

/// `mqbench consumer`: receive TPS and born-to-consume latency. With `--expect N` it stops after N
/// messages (for timing a backlog); otherwise after `--duration` seconds.
struct ConsumerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "consumer", abstract: "Consumer benchmark.")

    @Option(name: .shortAndLong, help: "Name server address.") var namesrvAddr: String = getenvString("NAMESRV_ADDR") ?? "127.0.0.1:9876"
    @Option(name: .shortAndLong, help: "Topic.") var topic: String = "BenchmarkTest"
    @Option(name: .shortAndLong, help: "Consumer group.") var group: String = "benchmark_consumer"
    @Flag(name: .long, help: "Start from the first offset (consume a backlog).") var fromFirst = false
    @Option(name: .long, help: "Stop after this many messages (0 = run for --duration).") var expect: Int = 0
    @Option(name: .shortAndLong, help: "Seconds to run.") var duration: Int = 30
    @Option(name: .long, help: "Pull batch size.") var pullBatchSize: Int32 = 32

    func run() async throws {
        var config = ClientConfig(namesrvAddr: namesrvAddr, clientIP: "127.0.0.1", instanceName: "bench-consumer-\(group)")
        config.rebalanceInterval = .seconds(2)
        BenchTLS.apply(to: &config)
        let consumer = DefaultMQPushConsumer(consumerGroup: group, clientConfig: config, logger: Logger(label: "mqbench"))
        consumer.consumeFromWhere = fromFirst ? .consumeFromFirstOffset : .consumeFromLastOffset
        consumer.pullBatchSize = pullBatchSize
        consumer.consumeMessageBatchMaxSize = 32
        consumer.pullThresholdForQueue = 4000
        try consumer.subscribe(topic, "*")
        let stats = BenchStats()
        consumer.registerMessageListener(concurrently: { messages, _ in
            let now = Clock.millis()
            for m in messages {
                stats.record(micros: Int(max(0, now - m.bornTimestamp)) * 1000, bytes: m.body.count)
            }
            return .consumeSuccess
        })
        let start = Clock.millis()
        try await consumer.start()
        let end = start + Int64(duration) * 1000
        var last = 0
        var firstAt: Int64 = 0
        while Clock.millis() < end {
            try? await Task.sleep(nanoseconds: expect > 0 ? 100_000_000 : 1_000_000_000)
            let ok = stats.ok.load(ordering: .relaxed)
            if firstAt == 0 && ok > 0 { firstAt = Clock.millis() }
            if expect == 0 {
                Console.out("Consume TPS: \(ok - last) | Average(B2C) RT(ms): \(fmt(stats.percentile(0.5), 3)) | Max(B2C) RT(ms): \(fmt(Double(stats.maxMicros.load(ordering: .relaxed)) / 1000, 3))")
            }
            last = ok
            if expect > 0 && ok >= expect { break }
        }
        let elapsed = Double(Clock.millis() - (firstAt > 0 ? firstAt : start)) / 1000
        await consumer.shutdown()
        let total = stats.ok.load(ordering: .relaxed)
        Console.out("Summary: received \(total) messages in \(fmt(elapsed)) s (from the first message)")
        Console.out("Consume TPS avg: \(Int(Double(total) / max(elapsed, 0.001))) msg/s")
        Console.out("Born-to-consume latency (ms): p50 \(fmt(stats.percentile(0.5), 3)) | p99 \(fmt(stats.percentile(0.99), 3)) | p99.9 \(fmt(stats.percentile(0.999), 3))")
        if let pid = BenchStats.brokerPID(), let rss = BenchStats.rssMB(pid: pid) { Console.out("Broker RSS: \(rss) MB (pid \(pid))") }
    }
}
