//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser

/// `mqbench`: micro and end-to-end benchmarks, one subcommand per area. Run release builds only.
@main
struct MQBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mqbench", abstract: "RocketMQ-Swift benchmarks (build with -c release).",
        subcommands: [CodecBenchmark.self])
}
