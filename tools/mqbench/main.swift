//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQCommon
import RocketMQRemoting

/// `mqbench`: benchmarks, one subcommand each, printing their figures (msgs/s, MB/s, latency
/// percentiles, RSS). Only release builds measure anything meaningful.
struct MQBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mqbench",
        abstract: "RocketMQ-Swift benchmarks (run release builds).",
        subcommands: [
            ProducerBenchmark.self,
            ConsumerBenchmark.self,
            CodecBenchmark.self,
            FilterBenchmark.self,
            StartupBenchmark.self,
            StoreBenchmark.self,
            HABenchmark.self,
            StoreCrashChild.self,
        ])
}

/// Top-level code calls the synchronous `main()`, which cannot run async subcommands; dispatch by hand.
func runAsync<C: AsyncParsableCommand>(_ command: C) async throws {
    var command = command
    try await command.run()
}

NIOConcurrencyExecutor.installUnlessDisabled()

do {
    let (properties, arguments) = SystemProperties.extract(from: Array(CommandLine.arguments.dropFirst()))
    var tls = TLSSystemConfig()
    try tls.apply(properties)
    _ = try tls.loadConfigFile()
    try await BenchTLS.$current.withValue(tls) {
        let command = try MQBench.parseAsRoot(arguments)
        if let asyncCommand = command as? any AsyncParsableCommand {
            try await runAsync(asyncCommand)
        } else {
            var syncCommand = command
            try syncCommand.run()
        }
    }
} catch {
    MQBench.exit(withError: error)
}
