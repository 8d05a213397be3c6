//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Synchronization

/// Final states of transactions, keyed by the transaction's unique key (the half message's `UNIQ_KEY`).
///
/// Keyed by transaction, not by half-message offset: the check-back service re-appends half messages, so
/// one transaction can have several copies, and whichever copy the producer answers for, the first final
/// state wins. A second commit, a rollback after a commit, or a check after either, never happens
/// (upstream issues #8158, #2694). Rebuilt at start from the op topic.
public final class TransactionStateTable: Sendable {
    public enum State: String, Sendable {
        case committed, rolledBack = "rolled back", discarded
    }
    private let states = Mutex<[String: State]>([:])

    public init() {}

    /// Records a final state; false when the transaction already had one.
    func resolve(_ key: String, _ state: State) -> Bool {
        states.withLock { s in
            if s[key] != nil { return false }
            s[key] = state
            return true
        }
    }

    func unresolve(_ key: String) { states.withLock { _ = $0.removeValue(forKey: key) } }

    /// Replays a final state from the op log at start-up.
    func restore(_ key: String, _ state: State) { states.withLock { if $0[key] == nil { $0[key] = state } } }

    public func state(of key: String) -> State? { states.withLock { $0[key] } }
    public var count: Int { states.withLock { $0.count } }
}
