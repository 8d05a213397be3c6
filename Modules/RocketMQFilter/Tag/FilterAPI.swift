//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// Builds subscriptions the way Java clients do (Java `FilterAPI`), so codes match a Java consumer's.
public enum FilterAPI {
    /// Java `FilterAPI.buildSubscriptionData(topic, subString, expressionType)`.
    ///
    /// Empty or exactly `*` subscribes to everything (`subString` becomes `*`). Otherwise `subString` is split on
    /// `||`, each piece trimmed and empty pieces dropped; `codeSet` holds each tag's Java `String.hashCode`.
    /// As in Java the split happens whatever `type` is (a SQL92 subscription carries its text as a "tag"; the
    /// broker ignores tags for non-tag types), and a blank `type` leaves the default `TAG`.
    ///
    /// - Throws: ``FilterError/Code-swift.struct/invalidExpression`` when the text is only `|` separators
    ///   (Java's `"subString split error"`: `"||".split("\\|\\|")` is empty).
    public static func buildSubscriptionData(
        topic: String, subString: String?, type: String? = nil, subVersion: Int64 = Clock.millis()
    ) throws(FilterError) -> SubscriptionData {
        let expressionType: String
        if let type, !type.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
            expressionType = type
        } else {
            expressionType = ExpressionType.tag
        }
        guard let subString, !subString.isEmpty, subString != SubscriptionData.subAll else {
            return SubscriptionData(
                topic: topic, subString: SubscriptionData.subAll, subVersion: subVersion,
                expressionType: expressionType)
        }
        guard let tags = self.splitTags(subString) else {
            throw FilterError(code: .invalidExpression, expressionType: expressionType, reason: "subString split error")
        }
        return SubscriptionData(
            topic: topic, subString: subString, tagsSet: tags, subVersion: subVersion, expressionType: expressionType)
    }

    /// Splits `a || b` into trimmed, non-empty tags; `nil` when Java's `split` would yield no pieces at all.
    ///
    /// Java `String.split` drops trailing empty pieces, so text made only of `||` gives an empty array (an
    /// error in Java), whereas `"  "` gives one blank piece that is then filtered out (no error, no tags).
    static func splitTags(_ subString: String) -> [String]? {
        // Scan scalars, not Characters: Java splits UTF-16 units, and a `|` followed by a combining mark is
        // one Swift Character.
        let scalars = Array(subString.unicodeScalars)
        var pieces: [String] = []
        var start = 0
        var i = 0
        while i < scalars.count {
            if scalars[i] == "|", i + 1 < scalars.count, scalars[i + 1] == "|" {
                pieces.append(Self.string(scalars[start..<i]))
                i += 2
                start = i
            } else {
                i += 1
            }
        }
        pieces.append(Self.string(scalars[start..<scalars.count]))
        guard pieces.contains(where: { !$0.isEmpty }) else { return nil }
        var tags: [String] = []
        for piece in pieces {
            let trimmed = javaTrim(Substring(piece))
            if !trimmed.isEmpty { tags.append(String(trimmed)) }
        }
        return tags
    }

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// Java `String.trim`: strips every character up to U+0020 from both ends.
    static func javaTrim(_ text: Substring) -> Substring {
        var s = text.unicodeScalars[...]
        while let f = s.first, f.value <= 0x20 { s.removeFirst() }
        while let l = s.last, l.value <= 0x20 { s.removeLast() }
        return Substring(s)
    }
}
