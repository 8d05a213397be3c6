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

/// Opens the existential so the async `run()` requirement is chosen (top-level code otherwise
/// resolves to the synchronous `ParsableCommand` entry points).
func runAsync<C: AsyncParsableCommand>(_ command: C) async throws {
    var command = command
    try await command.run()
}

do {
    let command = try MQBench.parseAsRoot()
    if let asyncCommand = command as? any AsyncParsableCommand {
        try await runAsync(asyncCommand)
    } else {
        var syncCommand = command
        try syncCommand.run()
    }
} catch {
    MQBench.exit(withError: error)
}
