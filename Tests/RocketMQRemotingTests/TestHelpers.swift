//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import RocketMQCommon
import Synchronization
@testable import RocketMQRemoting

/// Field-by-field equality for tests (the decoder verifier needs `Equatable` output). A nil body
/// and an empty body are the same on the wire.
extension RemotingCommand: Equatable {
    public static func == (a: RemotingCommand, b: RemotingCommand) -> Bool {
        a.code == b.code && a.language == b.language && a.version == b.version && a.opaque == b.opaque
            && a.flag == b.flag && a.remark == b.remark && a.extFields == b.extFields
            && a.serializeType == b.serializeType
            && (a.body ?? ByteBuffer()) == (b.body ?? ByteBuffer())
    }
}

func quietLogger() -> Logger { Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }) }

/// Bytes from a hex string; spaces are ignored.
func hexBytes(_ hex: String) -> [UInt8] {
    let digits = Array(hex.utf8.filter { $0 != UInt8(ascii: " ") })
    precondition(digits.count % 2 == 0)
    func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return c - UInt8(ascii: "A") + 10
        }
    }
    return stride(from: 0, to: digits.count, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
}

/// Encodes one command as a whole frame.
func encodeFrame(_ command: RemotingCommand) -> ByteBuffer {
    var buffer = ByteBuffer()
    RemotingFrameParser.encode(command, into: &buffer)
    return buffer
}

/// A frame with a hand-written JSON header (and optional body).
func jsonFrame(_ header: String, body: [UInt8] = []) -> ByteBuffer {
    let h = Array(header.utf8)
    var buffer = ByteBuffer()
    buffer.writeInteger(Int32(4 + h.count + body.count))
    buffer.writeInteger(UInt32(h.count))
    buffer.writeBytes(h)
    buffer.writeBytes(body)
    return buffer
}

/// Encodes then parses; the parser must consume the whole frame.
func roundTrip(_ command: RemotingCommand) throws -> RemotingCommand {
    var buffer = encodeFrame(command)
    let parsed = try RemotingFrameParser().parse(&buffer)
    guard let parsed else { throw TestFailure("parser wanted more bytes for a whole frame") }
    guard buffer.readableBytes == 0 else { throw TestFailure("\(buffer.readableBytes) bytes left after one frame") }
    return parsed
}

/// Parses a single frame.
func parseOne(_ frame: ByteBuffer) throws -> RemotingCommand? {
    var b = frame
    return try RemotingFrameParser().parse(&b)
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Deterministic pseudo-random numbers (SplitMix64), so a failing fuzz case can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A one-shot gate: `wait()` suspends until `open()` (or returns at once if already open).
final class Latch: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.open = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume() }
    }

    var isOpen: Bool { state.withLock { $0.open } }

    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.open { return true }
                s.waiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func waitUntil(timeout: Duration = .seconds(10), _ what: String = "condition",
               _ condition: () async throws -> Bool) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        if try await condition() { return }
        if clock.now >= deadline { throw TestFailure("timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(5))
    }
}
