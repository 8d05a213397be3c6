//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Foundation
import Synchronization

/// Where `mqadmin` commands write: the process's stdout/stderr, or a buffer (tests).
///
/// Commands are ArgumentParser structs built by parsing, so the sink is handed to them through a task-local
/// (``AdminOutput/current``) that ``MQAdminCommand/run(arguments:output:)`` binds around the whole run.
public final class AdminOutput: Sendable {
    private let capturing: Bool
    private let buffer = Mutex<(out: String, err: String)>(("", ""))

    private init(capturing: Bool) { self.capturing = capturing }

    /// Writes to the process's standard output and standard error.
    public static let standard = AdminOutput(capturing: false)

    /// A fresh buffer; read it with ``standardOutput`` and ``standardError``.
    public static func capture() -> AdminOutput { AdminOutput(capturing: true) }

    /// The sink of the running command.
    @TaskLocal public static var current: AdminOutput = .standard

    /// Everything written to standard output so far (capturing sinks only).
    public var standardOutput: String { buffer.withLock { $0.out } }
    /// Everything written to standard error so far (capturing sinks only).
    public var standardError: String { buffer.withLock { $0.err } }

    /// Writes `text` as is (add "\n" yourself, as Java's `printf` format does with `%n`).
    public func write(_ text: String) {
        if capturing {
            buffer.withLock { $0.out += text }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// Writes `text` and a newline.
    public func line(_ text: String = "") { write(text + "\n") }

    /// Writes one line to standard error.
    public func error(_ text: String) {
        if capturing {
            buffer.withLock { $0.err += text + "\n" }
        } else {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }
}

/// Shorthand for the running command's sink.
var out: AdminOutput { AdminOutput.current }
