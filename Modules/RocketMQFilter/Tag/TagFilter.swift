//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// The compiled `TAG` filter: a set of Java tag hash codes checked against consume-queue tags codes.
///
/// The broker only ever sees hash codes (the consume-queue unit stores `TAGS.hashCode()`), so collisions
/// pass through and clients re-check the tag string (``SubscriptionData/matchesTag(_:)``). Rules follow
/// Java `ExpressionMessageFilter.isMatchedByConsumeQueue`: everything passes for `*`, for class-filter mode
/// and when the unit has no usable code; otherwise `codeSet` must contain `(int) tagsCode`.
public struct TagFilter: CompiledFilter, Hashable {
    /// Whether the subscription takes every message (`*`, empty, or class-filter mode).
    public let matchesAll: Bool
    /// The subscribed tags, exact strings.
    public let tags: [String]
    /// Sorted, duplicate-free hash codes, binary-searched on the hot path.
    private let sortedCodes: [Int32]

    /// Compiles a tag expression (`TagA || TagB`, `*`, empty) with the client's split rules.
    ///
    /// - Throws: ``FilterError`` when the text is made only of `||` separators (Java "subString split error").
    public init(expression: String) throws(FilterError) {
        let data = try FilterAPI.buildSubscriptionData(topic: "", subString: expression, subVersion: 0)
        self.init(subscription: data)
    }

    /// The filter for a subscription as stored by the broker (codes recomputed from its tags).
    public init(subscription: SubscriptionData) {
        self.matchesAll = subscription.isSubscribeAll || subscription.classFilterMode
        self.tags = subscription.tagsSet
        self.sortedCodes = subscription.codeSet.sorted()
    }

    /// The codes a consume-queue tags code is compared with.
    public var codes: [Int32] { self.sortedCodes }

    public func matches(tagsCode: Int64?) -> Bool {
        if self.matchesAll { return true }
        guard let tagsCode else { return true }
        let code = Int32(truncatingIfNeeded: tagsCode)
        var low = 0
        var high = self.sortedCodes.count
        while low < high {
            let mid = (low &+ high) >> 1
            let value = self.sortedCodes[mid]
            if value == code { return true }
            if value < code { low = mid &+ 1 } else { high = mid }
        }
        return false
    }

    /// Tags are decided on the consume queue; the commit-log stage is not needed.
    public var needsProperties: Bool { false }

    public func matches(properties: [String: String]) -> Bool { true }

    /// Client-side re-check of an actual tag string (exact, case-sensitive).
    public func matches(tag: String?) -> Bool {
        if self.matchesAll || self.tags.isEmpty { return true }
        guard let tag else { return false }
        return self.tags.contains { exactlyEqual($0, tag) }
    }
}
