//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser

/// `mqbench`: benchmarks, one subcommand each, printing their figures (msgs/s, MB/s, latency
/// percentiles, RSS). Only release builds measure anything meaningful.
struct MQBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mqbench",
        abstract: "RocketMQ-Swift benchmarks.",
        subcommands: [
            FilterBenchmark.self,
            StartupBenchmark.self,
        ]
    )
}

// The explicit async type picks AsyncParsableCommand.main() over the synchronous ParsableCommand.main().
let main: () async -> Void = MQBench.main
await main()
