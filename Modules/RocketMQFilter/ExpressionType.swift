//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// The expression type names carried in `SubscriptionData.expressionType` (Java `ExpressionType`).
///
/// They are plain strings on the wire and an open set: a plugin may register its own type, so this is a
/// namespace of constants, not an enum.
public enum ExpressionType {
    /// `tag1 || tag2`, or `*` / empty for everything. Also what an absent type means.
    public static let tag = "TAG"
    /// The JMS-selector-like property filter (§9.2 of PROTOCOL.md).
    public static let sql92 = "SQL92"

    /// Java `ExpressionType.isTagType`: `nil`, empty and `TAG` all mean the tag filter.
    ///
    /// Java compares case-sensitively here; the registry looks types up case-insensitively, so this does too.
    public static func isTagType(_ type: String?) -> Bool {
        guard let type, !type.isEmpty else { return true }
        return normalized(type) == tag
    }

    /// The registry key for a type name: ASCII upper case, empty meaning `TAG`.
    static func normalized(_ type: String) -> String {
        if type.isEmpty { return tag }
        var utf8 = Array(type.utf8)
        for i in utf8.indices where utf8[i] >= 0x61 && utf8[i] <= 0x7A { utf8[i] -= 0x20 }
        return String(decoding: utf8, as: UTF8.self)
    }
}
