//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import Synchronization

/// Compiled filters shared by all pulls, so each subscription's expression is compiled once per version.
///
/// Keyed by (expression type, expression, `subVersion`), like Java's `ConsumerFilterManager`, which recompiles
/// when a consumer's subscription version changes. Failures are cached too (Java's `SelectorParser` caches
/// its exceptions), so a consumer with a bad expression does not cost a parse on every pull.
///
/// State is guarded by a `Mutex`; compilation runs outside the lock (two threads may compile the same entry
/// once each; the first stored wins). The cache is bounded: past `capacity` the oldest entries are dropped.
public final class CompiledFilterCache: Sendable {
    public let registry: FilterRegistry
    public let capacity: Int

    private struct Key: Hashable {
        var type: String
        var expression: String
        var subVersion: Int64
    }

    private struct State {
        var entries: [Key: Result<any CompiledFilter, FilterError>] = [:]
        /// Insertion order for eviction; `head` is the oldest live position.
        var order: [Key] = []
        var head = 0
    }

    private let state = Mutex(State())

    public init(registry: FilterRegistry, capacity: Int = 4096) {
        precondition(capacity > 0, "capacity must be positive")
        self.registry = registry
        self.capacity = capacity
    }

    /// The compiled filter for an expression at a subscription version.
    public func filter(type: String, expression: String, subVersion: Int64) throws(FilterError) -> any CompiledFilter {
        let key = Key(type: ExpressionType.normalized(type), expression: expression, subVersion: subVersion)
        if let cached = self.state.withLock({ $0.entries[key] }) {
            return try cached.get()
        }
        let result: Result<any CompiledFilter, FilterError>
        do {
            result = .success(try self.registry.compile(type: type, expression: expression))
        } catch {
            result = .failure(error)
        }
        let stored = self.state.withLock { state in
            if let existing = state.entries[key] { return existing }
            Self.insert(key, result, into: &state, capacity: self.capacity)
            return result
        }
        return try stored.get()
    }

    /// The filter a broker applies for a stored subscription: class-filter mode lets everything through,
    /// tag subscriptions use their tags, other types compile `subString`.
    public func filter(for subscription: SubscriptionData) throws(FilterError) -> any CompiledFilter {
        if subscription.classFilterMode { return PassAllFilter() }
        let type = subscription.isTagType ? ExpressionType.tag : subscription.expressionType
        return try self.filter(type: type, expression: subscription.subString, subVersion: subscription.subVersion)
    }

    /// Number of cached entries (successes and failures).
    public var count: Int { self.state.withLock { $0.entries.count } }

    /// Drops everything (e.g. after the registry's configuration changed).
    public func removeAll() {
        self.state.withLock { $0 = State() }
    }

    private static func insert(
        _ key: Key, _ value: Result<any CompiledFilter, FilterError>, into state: inout State, capacity: Int
    ) {
        while state.entries.count >= capacity, state.head < state.order.count {
            state.entries[state.order[state.head]] = nil
            state.head += 1
        }
        if state.head > 1024, state.head * 2 > state.order.count {
            state.order.removeFirst(state.head)
            state.head = 0
        }
        state.entries[key] = value
        state.order.append(key)
    }
}
