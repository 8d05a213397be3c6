//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// Mapping to and from the heartbeat JSON object (§5.1, fastjson keys of Java `SubscriptionData`).
extension SubscriptionData {
    /// Reads a subscription leniently, as a Java broker would accept it from any client.
    ///
    /// - Missing keys take Java's defaults: `expressionType` `TAG`, `classFilterMode` false, `subVersion` now
    ///   (fastjson keeps the constructor's `System.currentTimeMillis()`), `topic` empty.
    /// - `subVersion` may be a number or a string (the C++ client sends a string); booleans may be strings.
    /// - `codeSet` on the wire is ignored and recomputed. For tag subscriptions `tagsSet` is rebuilt from
    ///   `subString` with the client's split rules (falling back to the wire `tagsSet` when `subString` is
    ///   absent); for other types the wire `tagsSet` is kept.
    ///
    /// - Throws: ``FilterError/Code-swift.struct/invalidSubscription`` if `json` is not an object.
    public init(json: JSONValue) throws(FilterError) {
        guard case .object = json else {
            throw FilterError(code: .invalidSubscription, reason: "subscription is not a JSON object")
        }
        let topic = json["topic"]?.stringValue ?? ""
        var expressionType = json["expressionType"]?.stringValue ?? ExpressionType.tag
        if expressionType.isEmpty { expressionType = ExpressionType.tag }
        let classFilterMode = json["classFilterMode"]?.boolValue ?? false
        let subVersion = json["subVersion"]?.int64Value ?? Clock.millis()
        let wireTags = (json["tagsSet"]?.arrayValue ?? []).compactMap { $0.stringValue }

        let subString: String
        let tags: [String]
        if let text = json["subString"]?.stringValue {
            subString = text
            if !ExpressionType.isTagType(expressionType) {
                tags = wireTags
            } else if text.isEmpty || text == Self.subAll {
                tags = []
            } else {
                tags = FilterAPI.splitTags(text) ?? []
            }
        } else {
            tags = wireTags
            subString = wireTags.isEmpty ? Self.subAll : wireTags.joined(separator: " || ")
        }
        self.init(
            topic: topic, subString: subString, tagsSet: tags, subVersion: subVersion,
            expressionType: expressionType, classFilterMode: classFilterMode)
    }

    /// The JSON object Java would write: fastjson's alphabetical key order, `filterClassSource` never written.
    public var json: JSONValue {
        .object([
            ("classFilterMode", .bool(self.classFilterMode)),
            ("codeSet", .array(self.codeSet.map { JSONValue.int($0) })),
            ("expressionType", .string(self.expressionType)),
            ("subString", .string(self.subString)),
            ("subVersion", .int(self.subVersion)),
            ("tagsSet", .array(self.tagsSet.map { JSONValue.string($0) })),
            ("topic", .string(self.topic)),
        ])
    }
}
