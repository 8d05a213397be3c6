//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT/SIGTERM as a callback, so an example keeps running and shuts its client down cleanly.
///
/// Handlers are installed synchronously with `signal(2)` and write to a self-pipe that a dispatch
/// read source drains. A dispatch *signal* source registers asynchronously, and a signal arriving
/// before that registration is lost (the process then ignores Ctrl-C); a byte in a pipe waits.
final class SignalWatcher: Sendable {
    private let id: Int

    init(_ handler: @escaping @Sendable () -> Void) {
        SignalPipe.shared.start()
        id = SignalPipe.shared.add(handler)
    }

    /// Stops calling the handler; the last watcher gone restores the default signal actions.
    func cancel() { SignalPipe.shared.remove(id) }
}

/// Write end of the self-pipe, read by the C signal handler (which can capture nothing).
/// `nonisolated(unsafe)`: written once under `SignalPipe.state`'s lock before any handler is
/// installed, only read afterwards (and `write(2)` is async-signal-safe).
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

private final class SignalPipe: Sendable {
    static let shared = SignalPipe()

    private struct State {
        var started = false
        var nextID = 0
        var handlers: [Int: @Sendable () -> Void] = [:]
        var source: (any DispatchSourceRead)?
    }
    private let state = Mutex(State())

    func start() {
        state.withLock { s in
            guard !s.started else { return }
            s.started = true
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else { return }
            _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
            _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
            signalPipeWriteEnd = fds[1]
            let readEnd = fds[0]
            let source = DispatchSource.makeReadSource(fileDescriptor: readEnd, queue: .global())
            source.setEventHandler { [weak self] in
                var buffer = [UInt8](repeating: 0, count: 64)
                let n = read(readEnd, &buffer, buffer.count)
                guard n > 0, let self else { return }
                let handlers = self.state.withLock { Array($0.handlers.values) }
                for handler in handlers { handler() }
            }
            source.resume()
            s.source = source
        }
    }

    func add(_ handler: @escaping @Sendable () -> Void) -> Int {
        state.withLock { s in
            let id = s.nextID
            s.nextID += 1
            if s.handlers.isEmpty { Self.install() }
            s.handlers[id] = handler
            return id
        }
    }

    func remove(_ id: Int) {
        state.withLock { s in
            guard s.handlers.removeValue(forKey: id) != nil, s.handlers.isEmpty else { return }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
    }

    private static func install() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { _ in
                var byte: UInt8 = 1
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
        }
    }
}
