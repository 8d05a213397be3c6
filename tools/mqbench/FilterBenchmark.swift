//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQCommon
import RocketMQFilter

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mqbench filter`: SQL92 evaluations per second on one core.
///
/// Compiles one selector, then evaluates it against a rotating set of messages with 10 properties each
/// (the commit-log stage of a pull), on the calling thread only. The message mix makes every clause of the
/// default selector decide some evaluations, so short-circuiting cannot hide the cost of later clauses.
struct FilterBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter", abstract: "SQL92 filter evaluations per second (one core).")

    @Option(name: .long, help: "The SQL92 selector to evaluate.")
    var expression = "a > 5 AND b = 'abc' AND c BETWEEN 1 AND 100"

    @Option(name: .long, help: "Seconds to measure (after a short warm-up).")
    var seconds = 3.0

    @Option(name: .long, help: "Distinct messages cycled through.")
    var messages = 1024

    func run() throws {
        let filter = try SQL92Filter(self.expression)
        let corpus = Self.makeMessages(count: max(1, self.messages))

        // Warm-up.
        var matched = Self.evaluate(filter, corpus, iterations: 200_000)

        let start = Clock.nanos()
        let cpuStart = Self.threadCPUNanos()
        let deadline = start + UInt64(self.seconds * 1e9)
        var evaluations = 0
        let batch = 100_000
        var now = start
        while now < deadline {
            matched &+= Self.evaluate(filter, corpus, iterations: batch)
            evaluations += batch
            now = Clock.nanos()
        }
        let cpu = Double(Self.threadCPUNanos() - cpuStart) / 1e9
        let elapsed = Double(now - start) / 1e9
        let rate = Double(evaluations) / elapsed
        print("expression: \(self.expression)")
        print("messages: \(corpus.count) x 10 properties, evaluations: \(evaluations), matched: \(matched)")
        // On a shared machine wall time includes time the thread was not scheduled; CPU time does not.
        print("wall: \(elapsed) s, thread CPU: \(cpu) s")
        print("filter evaluations/s (per CPU-second on one core): \(Int(Double(evaluations) / cpu))")
        print("filter evaluations/s: \(Int(rate))")
    }

    /// CPU time consumed by the calling thread.
    static func threadCPUNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    @inline(never)
    static func evaluate(_ filter: SQL92Filter, _ corpus: [[String: String]], iterations: Int) -> Int {
        var matched = 0
        var index = 0
        for _ in 0..<iterations {
            if filter.matches(properties: corpus[index]) { matched &+= 1 }
            index &+= 1
            if index == corpus.count { index = 0 }
        }
        return matched
    }

    /// Ten properties per message, realistic names and values; about half match the default selector.
    static func makeMessages(count: Int) -> [[String: String]] {
        var generator = SplitMix64(seed: 42)
        let bValues = ["abc", "abd", "xyz", "abc", "abc"]
        return (0..<count).map { _ in
            [
                "a": String(generator.next() % 12),
                "b": bValues[Int(generator.next() % UInt64(bValues.count))],
                "c": String(generator.next() % 130),
                "TAGS": "TagA",
                "KEYS": "order-\(generator.next() % 100_000)",
                "UNIQ_KEY": "7F0000010001" + String(generator.next(), radix: 16, uppercase: true),
                "region": "cn-hangzhou",
                "userId": String(generator.next() % 1_000_000),
                "WAIT": "true",
                "d": String(Double(generator.next() % 1000) / 10),
            ]
        }
    }
}

/// Deterministic, dependency-free random numbers for benchmark data.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
