//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import Synchronization

/// At most one warning per second about refused connections (wrong kind for `tls.server.mode`), with
/// the number refused since the last one, so a flood of plaintext connects cannot flood the log.
/// Shared by every connection of one server; the `Mutex` guards the count.
final class TLSRefusalLog: Sendable {
    private let state = Mutex<(refused: Int, lastLog: UInt64)>((0, 0))

    /// Counts one refusal; returns how many to report if a line is due now, else nil.
    func record(now: UInt64 = NIODeadline.now().uptimeNanoseconds) -> Int? {
        state.withLock { s -> Int? in
            s.refused += 1
            guard s.lastLog == 0 || now >= s.lastLog + 1_000_000_000 else { return nil }
            s.lastLog = now
            defer { s.refused = 0 }
            return s.refused
        }
    }
}
