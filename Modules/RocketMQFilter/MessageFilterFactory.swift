//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// A filter language: turns a subscription's expression text into a ``CompiledFilter``.
///
/// This is the user extension point of the filter module (Java `FilterSpi`). `TAG` and `SQL92` are bundled;
/// a plugin adds its own language with ``FilterRegistry/register(_:)``. Factories are shared by every
/// connection of the broker, hence `Sendable`; `compile` should be pure so results can be cached per
/// subscription version (``CompiledFilterCache``).
public protocol MessageFilterFactory: Sendable {
    /// The `expressionType` this factory serves (`SQL92`). Matched case-insensitively by the registry.
    var expressionType: String { get }

    /// Compiles `expression`, or explains with a position why it cannot.
    func compile(_ expression: String) throws(FilterError) -> any CompiledFilter
}

/// A compiled subscription expression, asked the broker's two questions in order.
///
/// 1. ``matches(tagsCode:)`` runs while scanning the consume queue, before the message is read: it only sees
///    the 64-bit tags code of the 20-byte unit (Java `isMatchedByConsumeQueue`). It must be cheap and must
///    say `true` whenever it cannot decide.
/// 2. If ``needsProperties`` is `true`, the broker reads the message and calls ``matches(properties:)``
///    (Java `isMatchedByCommitLog`). Filters that decide on the tags code alone return `false` from
///    ``needsProperties`` so the broker can skip decoding properties.
///
/// Evaluation never throws: an expression that cannot be evaluated for a message (a property that does not
/// parse as the literal's type) means "not delivered", as in Java.
public protocol CompiledFilter: Sendable {
    /// Consume-queue stage. `tagsCode` is `nil` when the unit holds no usable code (an ext-file address),
    /// which always passes.
    func matches(tagsCode: Int64?) -> Bool

    /// Whether ``matches(properties:)`` needs to be called at all.
    var needsProperties: Bool { get }

    /// Commit-log stage, over the message's decoded properties (all values are strings).
    func matches(properties: [String: String]) -> Bool
}

extension CompiledFilter {
    /// Both stages in order: the tags-code check, then the properties check if the filter needs it.
    public func matches(tagsCode: Int64?, properties: [String: String]) -> Bool {
        guard self.matches(tagsCode: tagsCode) else { return false }
        return !self.needsProperties || self.matches(properties: properties)
    }
}

/// Lets everything through; used for class-filter-mode subscriptions, which the broker never filters.
struct PassAllFilter: CompiledFilter {
    func matches(tagsCode: Int64?) -> Bool { true }
    var needsProperties: Bool { false }
    func matches(properties: [String: String]) -> Bool { true }
}
