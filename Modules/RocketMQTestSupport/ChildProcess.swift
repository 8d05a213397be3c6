//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process with captured stdout and stderr, for executable-level tests.
///
/// Output is read with non-blocking reads while waiting, so waits are deadline-bound and never
/// block on a pipe. Call `terminate`/`kill` or wait for exit; the deinit kills a process still running.
public final class ChildProcess: Sendable {
    /// How a child ended.
    public enum Termination: Equatable, Sendable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)
        public var description: String {
            switch self {
            case .exited(let c): return "exit code \(c)"
            case .signaled(let s): return "signal \(s)"
            }
        }
    }

    public let pid: pid_t
    public let executable: String
    private struct State {
        var stdoutFD: Int32
        var stderrFD: Int32
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var termination: Termination?
    }
    private let state: Mutex<State>

    /// Starts `executable` with `arguments`; `environment` entries are added to (or replace) the
    /// current environment.
    public init(executable: String, arguments: [String] = [], environment: [String: String] = [:]) throws {
        guard access(executable, X_OK) == 0 else {
            throw TestSupportError("\(executable) is not an executable file (build it first: swift build)")
        }
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw TestSupportError("pipe() failed: errno \(errno)") }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }

        var env: [String: String] = [:]
        var ep = environ
        while let entry = ep.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            ep += 1
        }
        for (k, v) in environment { env[k] = v }

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = env.map { strdup("\($0.key)=\($0.value)") }
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let rc = (argv + [nil]).withUnsafeBufferPointer { a in
            (envp + [nil]).withUnsafeBufferPointer { e in
                posix_spawn(&pid, executable, &actions, nil, UnsafeMutablePointer(mutating: a.baseAddress!),
                            UnsafeMutablePointer(mutating: e.baseAddress!))
            }
        }
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw TestSupportError("posix_spawn \(executable) failed: \(rc)")
        }
        for fd in [outPipe[0], errPipe[0]] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        self.pid = pid
        self.executable = executable
        self.state = Mutex(State(stdoutFD: outPipe[0], stderrFD: errPipe[0]))
    }

    deinit {
        let running = state.withLock { $0.termination == nil }
        if running {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        state.withLock { s in
            if s.stdoutFD >= 0 { close(s.stdoutFD) }
            if s.stderrFD >= 0 { close(s.stderrFD) }
        }
    }

    /// Everything the child wrote to stdout so far (as far as it has been read).
    public var standardOutput: String {
        pump()
        return state.withLock { String(decoding: $0.stdout, as: UTF8.self) }
    }

    /// Everything the child wrote to stderr so far.
    public var standardError: String {
        pump()
        return state.withLock { String(decoding: $0.stderr, as: UTF8.self) }
    }

    /// Drains whatever the pipes hold right now and reaps the child if it has exited.
    private func pump() {
        state.withLock { s in
            Self.drain(&s.stdoutFD, into: &s.stdout)
            Self.drain(&s.stderrFD, into: &s.stderr)
            if s.termination == nil {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid { s.termination = Self.decode(status) }
            }
        }
    }

    private static func drain(_ fd: inout Int32, into out: inout [UInt8]) {
        guard fd >= 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { out.append(contentsOf: chunk[0..<n]); continue }
            if n == 0 { close(fd); fd = -1 }  // EOF
            else if errno == EINTR { continue }
            return
        }
    }

    private static func decode(_ status: Int32) -> Termination {
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
    }

    /// The termination, if the child has ended.
    public var termination: Termination? {
        pump()
        return state.withLock { $0.termination }
    }

    /// Waits until a stdout line contains `text`; throws with the output so far at the deadline or
    /// when the child exits first. Returns the line.
    @discardableResult
    public func waitForOutputLine(containing text: String, timeout: Duration = .seconds(10)) async throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            pump()
            let (out, ended) = state.withLock { (String(decoding: $0.stdout, as: UTF8.self), $0.termination) }
            if let line = out.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            if let ended {
                throw TestSupportError("\(executable) ended (\(ended)) before printing '\(text)'; stdout: \(out) stderr: \(standardError)")
            }
            if clock.now >= deadline {
                throw TestSupportError("timed out waiting for '\(text)' from \(executable); stdout: \(out) stderr: \(standardError)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits for the child to end; throws at the deadline (the child is left running).
    @discardableResult
    public func waitForExit(timeout: Duration = .seconds(10)) async throws -> Termination {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let t = termination { pump(); return t }
            if clock.now >= deadline { throw TestSupportError("\(executable) still running after \(timeout)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Sends a signal (SIGTERM by default).
    public func signal(_ sig: Int32 = SIGTERM) { kill(pid, sig) }
}

/// Runs an executable to completion and returns its termination and output.
public func runToCompletion(_ executable: String, arguments: [String] = [], environment: [String: String] = [:],
                            timeout: Duration = .seconds(10)) async throws
    -> (termination: ChildProcess.Termination, stdout: String, stderr: String)
{
    let child = try ChildProcess(executable: executable, arguments: arguments, environment: environment)
    let t = try await child.waitForExit(timeout: timeout)
    return (t, child.standardOutput, child.standardError)
}
