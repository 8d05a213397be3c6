//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Foundation
import Synchronization
import Testing

/// Set once a child process has exited (so the watchdog does not signal a reused pid).
final class ExampleExitFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

/// Runs the built `rocketmq-example` binary against an in-process cluster and checks its output.
@Suite("Examples: rocketmq-example against the in-process cluster", .timeLimit(.minutes(2)))
struct ExamplesTests {
    struct Run {
        var status: Int32
        var output: String
        /// stderr: client logs (warnings and up) and ArgumentParser's error line.
        var errors: String
        var lines: [Substring] { output.split(separator: "\n") }
        func count(_ needle: String) -> Int { lines.filter { $0.contains(needle) }.count }
    }

    /// The example binary next to the test bundle (`swift build --build-tests` builds both).
    static var binary: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        if dir.lastPathComponent == "debug" || dir.lastPathComponent == "release" {
            return dir.appendingPathComponent("rocketmq-example").path
        }
        // Inside an .xctest bundle directory (macOS layout).
        while dir.path != "/" && !dir.lastPathComponent.hasSuffix(".xctest") { dir.deleteLastPathComponent() }
        return dir.deletingLastPathComponent().appendingPathComponent("rocketmq-example").path
    }

    /// Runs one example command with `NAMESRV_ADDR` pointing at `cluster`; kills it after `timeout`.
    /// With `interruptOn`, sends SIGINT once stdout contains that text (a user pressing Ctrl-C).
    static func run(_ cluster: ClientTestCluster, _ arguments: [String], timeout: Duration = .seconds(60),
                    interruptOn: String? = nil) async throws -> Run
    {
        let path = binary
        try #require(FileManager.default.isExecutableFile(atPath: path), "build rocketmq-example first: \(path)")
        let outPath = cluster.root + "/example-\(cluster.unique("out")).log"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NAMESRV_ADDR"] = cluster.namesrvAddr
        env["ROCKETMQ_CLIENT_LOCAL_OFFSET_STORE_DIR"] = cluster.root + "/example-offsets"
        process.environment = env
        let errPath = outPath + ".stderr"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = out
        process.standardError = err
        let exited = ExampleExitFlag()
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { p in
                exited.set()
                continuation.resume(returning: p.terminationStatus)
            }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            let pid = process.processIdentifier
            if let interruptOn {
                Task {
                    while !exited.isSet {
                        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
                        if text.contains(interruptOn) {
                            kill(pid, SIGINT)
                            return
                        }
                        try? await Task.sleep(for: .milliseconds(50))
                    }
                }
            }
            Task {
                try? await Task.sleep(for: timeout)
                if !exited.isSet { kill(pid, SIGKILL) }
            }
        }
        try out.close()
        try err.close()
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Run(status: status, output: output, errors: errors)
    }

    /// Body texts printed by `--show-body` lines, in output order.
    static func bodies(_ run: Run) -> [String] {
        run.lines.compactMap { line -> [String]? in
            guard let range = line.range(of: " Bodies: [") else { return nil }
            let rest = line[range.upperBound...].dropLast(line.hasSuffix("] ") ? 2 : 1)
            return rest.components(separatedBy: ", ")
        }.flatMap { $0 }
    }

    @Test("quickstart: Producer prints 1000 SEND_OK results; Consumer --count 1000 receives all 1000 bodies")
    func quickstart() async throws {
        let cluster = try await ClientTestCluster.start()
        let produced = try await Self.run(cluster, ["quickstart.Producer"])
        #expect(produced.status == 0, "\(produced.output.suffix(2000))")
        #expect(produced.count("sendStatus=SEND_OK") == 1000)
        let pattern = /^SendResult \[sendStatus=SEND_OK, msgId=[0-9A-F]{32}, offsetMsgId=[0-9A-F]{32}, messageQueue=MessageQueue \[topic=TopicTest, brokerName=broker-it, queueId=\d\], queueOffset=\d+\]$/
        #expect(produced.lines.filter { (try? pattern.wholeMatch(in: String($0))) != nil }.count == 1000)

        let consumed = try await Self.run(cluster, ["quickstart-consumer", "--count", "1000", "--show-body", "--timeout", "60"])
        #expect(consumed.status == 0)
        #expect(consumed.count("Consumer Started.") == 1)
        #expect(consumed.count("stopped (count) after 1000 messages") == 1, "\(consumed.output.suffix(1500))")
        #expect(Set(Self.bodies(consumed)) == Set((0..<1000).map { "Hello RocketMQ \($0)" }))
        let receiveLines = consumed.lines.filter { $0.contains(" Receive New Messages: [MessageExt [") }
        #expect(receiveLines.count >= 1000)
        #expect(receiveLines.allSatisfy { $0.hasPrefix("ConsumeMessageThread_") })
        #expect(receiveLines.allSatisfy { $0.contains("topic='TopicTest'") && $0.contains("TAGS=TagA") })

        // Without --count it runs until interrupted, then shuts down cleanly.
        let interrupted = try await Self.run(cluster, ["quickstart.Consumer"], timeout: .seconds(30),
                                             interruptOn: "Consumer Started.")
        #expect(interrupted.status == 0)
        #expect(interrupted.count("Consumer stopped (signal)") == 1, "\(interrupted.output.suffix(500))")
        await cluster.shutdown()
    }

    @Test("simple: sync, async, oneway producers, lite pull consumer, topic creation; batch producer")
    func simple() async throws {
        let cluster = try await ClientTestCluster.start()
        let sync = try await Self.run(cluster, ["simple.Producer", "--count", "5"])
        #expect(sync.status == 0 && sync.count("sendStatus=SEND_OK") == 5, "\(sync.output.suffix(1000))")
        let async = try await Self.run(cluster, ["simple.AsyncProducer", "--count", "10"])
        #expect(async.status == 0)
        #expect(async.count(" OK ") == 10 && async.count("Async send finished: 10 OK, 0 failed") == 1, "\(async.output)")
        let oneway = try await Self.run(cluster, ["simple.OnewayProducer", "--count", "10"])
        #expect(oneway.status == 0 && oneway.count("Sent 10 oneway messages to TopicTest.") == 1)
        let pull = try await Self.run(cluster, ["simple.PullConsumer", "--count", "15", "--show-body", "--timeout", "30"])
        #expect(pull.status == 0 && pull.count("stopped (count) after 15 messages") == 1, "\(pull.output.suffix(1000))")
        #expect(Set(Self.bodies(pull)) == Set(["Hello world"] + (0..<10).map { "Hello RocketMQ \($0)" }))
        let topic = try await Self.run(cluster, ["simple.TopicDemo"])
        #expect(topic.status == 0 && topic.count("Created topic TopicDemo with 8 queues.") == 1)
        #expect(topic.count("MessageQueue [topic=TopicDemo, brokerName=broker-it, queueId=") == 8, "\(topic.output)")
        let batch = try await Self.run(cluster, ["batch.SimpleBatchProducer"])
        #expect(batch.status == 0 && batch.count("sendStatus=SEND_OK") == 1)
        #expect(batch.lines.first { $0.contains("SEND_OK") }.map { $0.split(separator: ",").count } ?? 0 >= 7)
        await cluster.shutdown()
    }

    @Test("ordermessage: every order id's messages are consumed in send order")
    func orderMessage() async throws {
        let cluster = try await ClientTestCluster.start()
        let produced = try await Self.run(cluster, ["ordermessage.Producer"])
        #expect(produced.status == 0 && produced.count("sendStatus=SEND_OK") == 100)
        let consumed = try await Self.run(cluster, ["ordermessage.Consumer", "--count", "60", "--show-body", "--timeout", "60"])
        #expect(consumed.status == 0 && consumed.count("stopped (count) after 60 messages") == 1, "\(consumed.output.suffix(1000))")
        let numbers = Self.bodies(consumed).compactMap { Int($0.dropFirst("Hello RocketMQ ".count)) }
        #expect(Set(numbers) == Set((0..<100).filter { [0, 2, 3].contains($0 % 5) }))
        for order in 0..<10 {
            let sequence = numbers.filter { $0 % 10 == order }
            #expect(sequence == sequence.sorted(), "order \(order): \(sequence)")
        }
        await cluster.shutdown()
    }

    @Test("transaction.TransactionProducer: checks commit 1/3, roll back 1/3, leave 1/3 unknown")
    func transaction() async throws {
        let cluster = try await ClientTestCluster.start {
            $0.transactionCheckInterval = 500
            $0.transactionTimeOut = 500
        }
        let run = try await Self.run(cluster, ["transaction.TransactionProducer", "--count", "6", "--timeout", "60"])
        #expect(run.status == 0 && run.count("sendStatus=SEND_OK") == 6)
        #expect(run.count("Transaction checks decided 4 of 4 messages.") == 1, "\(run.output.suffix(1500))")
        #expect(run.count("state=COMMIT_MESSAGE") >= 2 && run.count("state=ROLLBACK_MESSAGE") >= 2)
        await cluster.shutdown()
    }

    @Test("schedule: delay level 3 messages arrive after the delay")
    func schedule() async throws {
        let cluster = try await ClientTestCluster.start()  // every delay level is 1 s here
        let produced = try await Self.run(cluster, ["schedule.ScheduledMessageProducer", "--count", "5"])
        #expect(produced.status == 0 && produced.count("sendStatus=SEND_OK") == 5)
        let consumed = try await Self.run(cluster, ["schedule.ScheduledMessageConsumer", "--count", "5", "--timeout", "60"])
        #expect(consumed.status == 0)
        let delays = consumed.lines.compactMap { line -> Int? in
            guard let m = try? /^Receive message\[msgId=[0-9A-F]{32}\] (\d+)ms later$/.wholeMatch(in: String(line))
            else { return nil }
            return Int(m.1)
        }
        #expect(delays.count == 5, "\(consumed.output)")
        #expect(delays.allSatisfy { $0 >= 900 }, "\(delays)")
        await cluster.shutdown()
    }

    @Test("filter: tags TagA || TagC; SQL92 age/sex with and without enablePropertyFilter")
    func filters() async throws {
        let cluster = try await ClientTestCluster.start { $0.enablePropertyFilter = true }
        #expect(try await Self.run(cluster, ["filter.TagFilterProducer", "--count", "9"]).status == 0)
        let tags = try await Self.run(cluster, ["filter.TagFilterConsumer", "--count", "6", "--show-body", "--timeout", "60"])
        #expect(tags.status == 0)
        #expect(Set(Self.bodies(tags)) == Set([0, 2, 3, 5, 6, 8].map { "Hello world \($0)" }))
        #expect(tags.count("TAGS=TagB") == 0)

        #expect(try await Self.run(cluster, ["filter.SqlFilterProducer"]).status == 0)
        let sql = try await Self.run(cluster, ["filter.SqlFilterConsumer", "--count", "4", "--show-body", "--timeout", "30"])
        #expect(sql.status == 0, "\(sql.output.suffix(1000))")
        #expect(Set(Self.bodies(sql)) == Set([2, 4, 6, 8].map { "美女\($0) age=\(16 + 2 * $0) sex=女" }),
                "\(sql.output.suffix(1000))")
        await cluster.shutdown()

        let plain = try await ClientTestCluster.start()
        #expect(try await Self.run(plain, ["filter.SqlFilterProducer", "--count", "1"]).status == 0)
        let refused = try await Self.run(plain, ["filter.SqlFilterConsumer", "--timeout", "10"])
        #expect(refused.status == 2)
        #expect(refused.count("The broker refused the SQL92 subscription") == 1, "\(refused.output)")
        #expect(refused.count("enablePropertyFilter=true") >= 1)
        await plain.shutdown()
    }

    @Test("broadcast, compression and filterplugin examples")
    func others() async throws {
        let cluster = try await ClientTestCluster.start()
        #expect(try await Self.run(cluster, ["quickstart.Producer", "--count", "10"]).status == 0)
        for instance in ["b1", "b2"] {
            let run = try await Self.run(cluster, ["broadcast.PushConsumer", "--count", "10", "--instance-name", instance,
                                                   "--show-body", "--timeout", "60"])
            #expect(run.status == 0 && run.count("Broadcast Consumer Started.") == 1)
            #expect(Set(Self.bodies(run)) == Set((0..<10).map { "Hello RocketMQ \($0)" }), "\(run.output.suffix(800))")
        }
        let compression = try await Self.run(cluster, ["compression.Producer", "--count", "3"])
        #expect(compression.status == 0)
        #expect(compression.count("Compression round trip: 6 of 6 bodies verified, 0 mismatched.") == 1,
                "\(compression.output.suffix(1000))")

        // This broker has no KEY_PREFIX filter plugin (only compression and delay levels), so the consumer's
        // CHECK_CLIENT_CONFIG in start() is refused with the broker's remark and the example exits with 2.
        // The topic is routed first so that start() has a broker to ask.
        try await cluster.createTopic("FilterPluginTest")
        #expect(try await Self.run(cluster, ["quickstart.Producer", "--count", "1", "--topic", "FilterPluginTest"]).status == 0)
        let plugin = try await Self.run(cluster, ["filterplugin.Consumer", "--timeout", "3"])
        #expect(plugin.status == 2, "\(plugin.output)")
        #expect(plugin.count("The broker refused the KEY_PREFIX subscription") == 1, "\(plugin.output)")
        await cluster.shutdown()
    }
}
