//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser

/// `mqbench`: benchmark tool. Each area adds its subcommand to this list.
struct MQBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mqbench",
        abstract: "RocketMQ-Swift benchmarks (run release builds).",
        subcommands: [
            StoreBenchmark.self,
            StoreCrashChild.self,
        ])
}

await MQBench.main()
