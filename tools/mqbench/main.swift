//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser

/// `mqbench`: micro and end-to-end benchmarks, one subcommand per area. Run release builds only.
///
/// A file named `main.swift` is top-level code, where `@main` is not allowed, so the entry point is
/// the `await` below; add subcommands to the list.
struct MQBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mqbench", abstract: "RocketMQ-Swift benchmarks (build with -c release).",
        subcommands: [CodecBenchmark.self])
}

// Top-level `MQBench.main()` would pick ParsableCommand's synchronous overload, so run the parsed
// command here.
do {
    var command = try MQBench.parseAsRoot()
    if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
    } else {
        try command.run()
    }
} catch {
    MQBench.exit(withError: error)
}
