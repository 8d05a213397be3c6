//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// One topic subscription of a consumer group, as carried in heartbeats (Java `SubscriptionData`, §5.1).
///
/// `tagsSet` and `codeSet` are Java `HashSet`s; here they are arrays kept free of duplicates in first-seen
/// order, so output is deterministic. `codeSet` is derived data (Java `String.hashCode` of each tag): it is
/// recomputed whenever this type is built, never taken from the wire (C++ clients have sent wrong codes).
public struct SubscriptionData: Hashable, Sendable {
    /// Java `SubscriptionData.SUB_ALL`.
    public static let subAll = "*"

    public var topic: String
    /// The expression as the client wrote it: `*`, `TagA || TagB`, or SQL92 text.
    public var subString: String
    /// Tags parsed from `subString` (empty for `*`), without duplicates, in first-seen order.
    public var tagsSet: [String]
    /// Java `String.hashCode` of each tag, without duplicates (two tags may share a code).
    public var codeSet: [Int32]
    /// Client-side version (milliseconds); a newer version replaces an older one in the broker's registry.
    public var subVersion: Int64
    /// `TAG`, `SQL92` or a plugin's type.
    public var expressionType: String
    /// Deprecated class-filter mode; the broker lets everything through for such subscriptions.
    public var classFilterMode: Bool

    /// Builds a subscription from its parts, recomputing `codeSet` from `tagsSet` (duplicates dropped).
    public init(
        topic: String, subString: String, tagsSet: [String] = [], subVersion: Int64 = Clock.millis(),
        expressionType: String = ExpressionType.tag, classFilterMode: Bool = false
    ) {
        self.topic = topic
        self.subString = subString
        self.tagsSet = []
        self.codeSet = []
        self.subVersion = subVersion
        self.expressionType = expressionType
        self.classFilterMode = classFilterMode
        self.setTags(tagsSet)
    }

    /// Whether this subscription takes every message (`subString` is exactly `*`, as Java checks).
    public var isSubscribeAll: Bool { self.subString == Self.subAll }

    /// Whether the tag filter applies (`TAG` or empty expression type).
    public var isTagType: Bool { ExpressionType.isTagType(self.expressionType) }

    /// Replaces `tagsSet` (dropping exact duplicates) and recomputes `codeSet` from it.
    public mutating func setTags(_ tags: [String]) {
        var seenTags = Set<ExactString>()
        var seenCodes = Set<Int32>()
        self.tagsSet = []
        self.codeSet = []
        for tag in tags where seenTags.insert(ExactString(tag)).inserted {
            self.tagsSet.append(tag)
            let code = JavaHash.hashCode(tag)
            if seenCodes.insert(code).inserted { self.codeSet.append(code) }
        }
    }

    /// Client-side re-check of a delivered message's `TAGS` (Java and C++ consumers both do this, because the
    /// broker matched only hash codes). Exact, case-sensitive; `*` and class-filter mode take everything.
    public func matchesTag(_ tag: String?) -> Bool {
        if self.tagsSet.isEmpty || self.classFilterMode { return true }
        guard let tag else { return false }
        return self.tagsSet.contains { exactlyEqual($0, tag) }
    }
}
