//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import Logging
import RocketMQClient
import RocketMQCommon
import RocketMQCompression
import RocketMQRemoting

/// `mqbench producer`: upstream's producer benchmark. Prints every second
/// `Send TPS: N | Max RT(ms): N | Average RT(ms): N | Send Failed: N | Response Failed: N`, then a summary
/// with p50/p99/p99.9 latency and the broker's RSS when a local `mqbroker` is running.
struct ProducerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "producer", abstract: "Producer benchmark.")

    @Option(name: .shortAndLong, help: "Name server address.") var namesrvAddr: String = getenvString("NAMESRV_ADDR") ?? "127.0.0.1:9876"
    @Option(name: .shortAndLong, help: "Topic.") var topic: String = "BenchmarkTest"
    @Option(name: [.customShort("w"), .long], help: "Sends in flight (upstream: threads).") var inflight: Int = 64
    @Option(name: .shortAndLong, help: "Message body size in bytes.") var size: Int = 1024
    @Flag(name: .shortAndLong, help: "Set a key on each message.") var keyEnable = false
    @Option(name: .shortAndLong, help: "Messages per batch (1 = single sends).") var batchSize: Int = 1
    @Option(name: .long, help: "Delay level (0 = none).") var delayLevel: Int = 0
    @Option(name: .long, help: "Body compression: none, zlib or lz4 (compresses bodies over 4 KiB).") var compression: String = "none"
    @Option(name: .shortAndLong, help: "Seconds to run.") var duration: Int = 30
    @Option(name: .long, help: "Target messages per second (0 = as fast as possible).") var rate: Int = 0
    @Option(name: .long, help: "Request header codec: json or rocketmq.") var serializeType: String = "json"
    @Option(name: .long, help: "Broker pid for its CPU per message (default: the first mqbroker process).") var brokerPid: Int32?

    func run() async throws {
        var config = ClientConfig(namesrvAddr: namesrvAddr, clientIP: "127.0.0.1", instanceName: "bench-producer")
        config.mqClientAPITimeoutMillis = 10_000
        BenchTLS.apply(to: &config)
        config.serializeType = serializeType.lowercased() == "rocketmq" ? .rocketmq : .json
        let producer = DefaultMQProducer(producerGroup: "benchmark_producer", clientConfig: config,
                                         logger: Logger(label: "mqbench"))
        producer.sendMsgTimeout = 10_000
        if compression != "none" {
            producer.compressionType = try CompressionType.named(compression)
        } else {
            producer.compressMsgBodyOverHowmuch = Int.max
        }
        try await producer.start()
        let body = [UInt8]((0..<size).map { UInt8(truncatingIfNeeded: $0 % 64 + 48) })
        // Warm up: make sure the topic exists and routes are known.
        var warm = Message(topic: topic, body: body)
        warm.tags = "warmup"
        _ = try await producer.send(warm)
        let stats = BenchStats()
        let pid = brokerPid ?? BenchStats.brokerPID()
        let cpuBefore = pid.flatMap(BenchStats.cpuSeconds(pid:))
        let end = Clock.millis() + Int64(duration) * 1000
        let perTaskInterval: UInt64 = rate > 0 ? UInt64(1_000_000_000 * Double(inflight) / Double(rate)) : 0
        let batch = max(1, batchSize)
        let reporter = Task { await report(stats, until: end) }
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<max(1, inflight) {
                group.addTask {
                    var n = 0
                    var next = Clock.nanos()
                    while Clock.millis() < end {
                        if perTaskInterval > 0 {
                            next += perTaskInterval
                            let now = Clock.nanos()
                            if next > now { try? await Task.sleep(nanoseconds: next - now) }
                        }
                        var messages: [Message] = []
                        for _ in 0..<batch {
                            var m = Message(topic: topic, tags: "TagA", body: body)
                            if keyEnable { m.keys = "k-\(worker)-\(n)" }
                            if delayLevel > 0 { m.delayTimeLevel = delayLevel }
                            messages.append(m)
                            n += 1
                        }
                        let start = Clock.nanos()
                        do {
                            if batch == 1 { _ = try await producer.send(messages[0]) } else { _ = try await producer.send(messages) }
                            stats.record(micros: Int((Clock.nanos() - start) / 1000), bytes: batch * body.count, count: batch)
                        } catch {
                            if let e = error as? ClientError, case .broker = e { stats.responseFailed.wrappingAdd(1, ordering: .relaxed) } else {
                                stats.sendFailed.wrappingAdd(1, ordering: .relaxed)
                            }
                        }
                    }
                }
            }
        }
        await reporter.value
        let cpuAfter = pid.flatMap(BenchStats.cpuSeconds(pid:))
        await producer.shutdown()
        let total = stats.ok.load(ordering: .relaxed)
        let seconds = Double(duration)
        Console.out("Summary: sent \(total) messages in \(duration) s")
        Console.out("Send TPS avg: \(Int(Double(total) / seconds)) msg/s | \(fmt(Double(stats.bytes.load(ordering: .relaxed)) / seconds / 1_048_576)) MB/s")
        Console.out("Latency (ms): p50 \(fmt(stats.percentile(0.5), 3)) | p99 \(fmt(stats.percentile(0.99), 3)) | p99.9 \(fmt(stats.percentile(0.999), 3)) | max \(fmt(stats.percentile(1.0), 3))")
        Console.out("Send Failed: \(stats.sendFailed.load(ordering: .relaxed)) | Response Failed: \(stats.responseFailed.load(ordering: .relaxed))")
        if let pid, let rss = BenchStats.rssMB(pid: pid) { Console.out("Broker RSS: \(rss) MB (pid \(pid))") }
        if let pid, let before = cpuBefore, let after = cpuAfter, total > 0 {
            // utime+stime of the broker process over the run, per message stored (issue: measure CPU per
            // message at a fixed --rate rather than raw throughput on a noisy machine).
            let used = after - before
            Console.out("Broker CPU: \(fmt(used * 1e6 / Double(total), 1)) us/msg (utime+stime \(fmt(used, 2)) s for \(total) messages, pid \(pid))")
        }
    }

    func report(_ stats: BenchStats, until end: Int64) async {
        var lastOK = 0, lastMicros = 0
        while Clock.millis() < end {
            try? await Task.sleep(nanoseconds: 1_000_000_000)
            let ok = stats.ok.load(ordering: .relaxed)
            let micros = stats.totalMicros.load(ordering: .relaxed)
            let n = ok - lastOK
            let avg = n > 0 ? Double(micros - lastMicros) / Double(n) / 1000 : 0
            let maxRT = Double(stats.maxMicros.exchange(0, ordering: .relaxed)) / 1000
            Console.out("Send TPS: \(n) | Max RT(ms): \(fmt(maxRT, 3)) | Average RT(ms): \(fmt(avg, 3)) | Send Failed: \(stats.sendFailed.load(ordering: .relaxed)) | Response Failed: \(stats.responseFailed.load(ordering: .relaxed))")
            lastOK = ok
            lastMicros = micros
        }
    }
}
