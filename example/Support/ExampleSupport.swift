//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import Dispatch
import Logging
import RocketMQClient
import RocketMQCommon
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Options every example takes: the name server (`-n`, else `NAMESRV_ADDR`, else `localhost:9876`).
struct CommonOptions: ParsableArguments {
    @Option(name: [.customShort("n"), .customLong("namesrv-addr")],
            help: "Name server address list, ';'-separated (default: $NAMESRV_ADDR or localhost:9876).")
    var namesrvAddr: String?

    var resolvedNamesrvAddr: String {
        if let namesrvAddr, !namesrvAddr.isEmpty { return namesrvAddr }
        if let env = getenv("NAMESRV_ADDR"), case let value = String(cString: env), !value.isEmpty { return value }
        return "localhost:9876"
    }

    /// A client configuration for this name server. Consumers started by scripts want to see their
    /// queues quickly, so the rebalance interval is shorter than upstream's 20 s.
    func clientConfig(instanceName: String = "DEFAULT") -> ClientConfig {
        ExampleLogging.bootstrap()
        var config = ClientConfig(namesrvAddr: resolvedNamesrvAddr, instanceName: instanceName)
        config.rebalanceInterval = .seconds(2)
        config.persistConsumerOffsetInterval = .seconds(1)
        return config
    }
}

/// Client logs go to stderr at `warning` (override with `ROCKETMQ_EXAMPLE_LOG_LEVEL=info|debug|…`), so
/// stdout carries only the example's own output, as with upstream's examples (which log to files).
enum ExampleLogging {
    private static let once: Void = {
        let name = getenv("ROCKETMQ_EXAMPLE_LOG_LEVEL").map { String(cString: $0) } ?? "warning"
        let level = Logger.Level(rawValue: name.lowercased()) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }()

    static func bootstrap() { once }
}

/// Prints a line and flushes it at once, like Java's `System.out`: piped output (`| tee`, scripts
/// waiting for "Consumer Started.") appears as it is printed.
func say(_ item: Any) {
    print(item)
    fflush(nil)
}

/// Options of examples that consume: stop after `--count` distinct messages or `--timeout` seconds.
struct StopOptions: ParsableArguments {
    @Option(help: "Stop after this many distinct messages were received (default: run until SIGINT/SIGTERM).")
    var count: Int?

    @Option(help: "Stop after this many seconds (default: no limit).")
    var timeout: Double?

    @Flag(help: "Also print each message body as text (upstream prints the body bytes).")
    var showBody = false
}

/// Counts distinct received messages and ends the wait on `--count`, `--timeout`, SIGINT or SIGTERM.
final class ExampleFinish: Sendable {
    let target: Int?
    private let seen = Mutex<Set<String>>([])
    private let stream: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation

    /// Watches signals from here on, before the example prints "Started.": a Ctrl-C (or a test's
    /// SIGINT) right after that line must end the wait, not be lost or kill the process uncleanly.
    private let signals: SignalWatcher

    init(target: Int?) {
        self.target = target
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        (self.stream, self.continuation) = (stream, continuation)
        signals = SignalWatcher { continuation.yield("signal") }
    }

    deinit { signals.cancel() }

    /// Records a message id; returns the number of distinct ids so far.
    @discardableResult
    func record(_ id: String) -> Int {
        let count = seen.withLock { s -> Int in
            s.insert(id)
            return s.count
        }
        if let target, count >= target { continuation.yield("count") }
        return count
    }

    var distinctCount: Int { seen.withLock { $0.count } }

    /// Ends the wait from elsewhere (for example when a producer-side condition is met).
    func finish(_ reason: String) { continuation.yield(reason) }

    /// Waits until the target count, the timeout or a signal; returns the reason.
    func wait(timeout: Double?) async -> String {
        if let target, distinctCount >= target { return "count" }
        defer { signals.cancel() }
        let timer = Task { [continuation] in
            guard let timeout else { return }
            try? await Task.sleep(for: .milliseconds(Int64(timeout * 1000)))
            if !Task.isCancelled { continuation.yield("timeout") }
        }
        defer { timer.cancel() }
        for await reason in stream { return reason }
        return "closed"
    }
}

/// Small stable worker numbers for log lines, like Java's `ConsumeMessageThread_N` pool threads:
/// a listener call takes the lowest free number and gives it back when done.
final class WorkerNames: Sendable {
    private let busy = Mutex<[Bool]>([])

    func run<T>(_ body: (String) async throws -> T) async rethrows -> T {
        let index = busy.withLock { b -> Int in
            if let free = b.firstIndex(of: false) {
                b[free] = true
                return free
            }
            b.append(true)
            return b.count - 1
        }
        defer { busy.withLock { $0[index] = false } }
        return try await body("ConsumeMessageThread_\(index + 1)")
    }
}

enum ExampleOutput {
    /// `[MessageExt [...], ...]` as Java prints a `List<MessageExt>`, optionally with the bodies as text.
    static func messages(_ messages: [MessageExt], showBody: Bool) -> String {
        var text = "[" + messages.map(\.description).joined(separator: ", ") + "]"
        if showBody { text += " Bodies: [" + messages.map(\.bodyString).joined(separator: ", ") + "]" }
        return text
    }

    /// Java `%-10d`: left-justified in a field of `width`.
    static func padRight(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s + String(repeating: " ", count: max(0, width - s.count))
    }

    static func flush() { fflush(nil) }
}

/// Sleeps in small steps until `condition` holds or `timeout` passes; returns whether it held.
func waitUntil(timeout: Duration, _ condition: @Sendable () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return true
}
