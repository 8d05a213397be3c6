//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser

/// `mqbench`: benchmarks that print their figures (msgs/s, MB/s, latency percentiles, RSS).
@main
struct MQBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mqbench", abstract: "RocketMQ-Swift benchmarks.",
        subcommands: [StartupBenchmark.self])
}
