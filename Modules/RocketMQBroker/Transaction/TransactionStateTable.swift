//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Synchronization

/// Which half messages are resolved (committed or rolled back), by half-queue offset.
///
/// Rebuilt at start from the op topic; consulted by END_TRANSACTION (a final state is final) and by the
/// check-back service (resolved messages are never checked).
public final class TransactionStateTable: Sendable {
    private let states = Mutex<[Int64: Bool]>([:])

    public init() {}

    /// Marks resolved; false when it already was.
    func resolve(halfOffset: Int64, commit: Bool) -> Bool {
        states.withLock { s in
            if s[halfOffset] != nil { return false }
            s[halfOffset] = commit
            return true
        }
    }

    func unresolve(halfOffset: Int64) { states.withLock { _ = $0.removeValue(forKey: halfOffset) } }

    func markResolved(halfOffset: Int64) { states.withLock { if $0[halfOffset] == nil { $0[halfOffset] = true } } }

    public func isResolved(_ halfOffset: Int64) -> Bool { states.withLock { $0[halfOffset] != nil } }

    func state(of halfOffset: Int64) -> String? {
        states.withLock { $0[halfOffset].map { $0 ? "committed" : "rolled back" } }
    }
}
