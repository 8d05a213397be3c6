//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// A consumer's subscription to one topic (Java `SubscriptionData`, wire keys of PROTOCOL.md §5.1).
public struct SubscriptionData: Sendable, Equatable, Hashable {
    public static let subAll = "*"
    public var topic: String
    public var subString: String
    public var tagsSet: [String]
    public var codeSet: [Int32]
    public var subVersion: Int64
    public var expressionType: String
    public var classFilterMode: Bool

    public init(topic: String, subString: String, tagsSet: [String] = [], codeSet: [Int32] = [],
                subVersion: Int64 = Clock.millis(), expressionType: String = ExpressionType.tag,
                classFilterMode: Bool = false) {
        self.topic = topic
        self.subString = subString
        self.tagsSet = tagsSet
        self.codeSet = codeSet
        self.subVersion = subVersion
        self.expressionType = expressionType
        self.classFilterMode = classFilterMode
    }

    /// Java `FilterAPI.buildSubscriptionData`: `*`/empty = all; tags split on `||`, trimmed, hashed.
    public static func build(topic: String, subString: String?, type: String? = nil,
                             subVersion: Int64 = Clock.millis()) -> SubscriptionData {
        let type = (type?.isEmpty ?? true) ? ExpressionType.tag : type!.uppercased()
        let raw = subString?.trimmingChars(" \t\n\r") ?? ""
        guard ExpressionType.isTagType(type) else {
            return SubscriptionData(topic: topic, subString: raw, subVersion: subVersion, expressionType: type)
        }
        if raw.isEmpty || raw == subAll {
            return SubscriptionData(topic: topic, subString: subAll, subVersion: subVersion, expressionType: type)
        }
        var tags: [String] = []
        for part in raw.components(separatedBy: "||") {
            let t = part.trimmingChars(" \t\n\r")
            if !t.isEmpty && !tags.contains(t) { tags.append(t) }
        }
        return SubscriptionData(topic: topic, subString: raw, tagsSet: tags, codeSet: tags.map(JavaHash.hashCode),
                                subVersion: subVersion, expressionType: type)
    }

    public var isSubscribeAll: Bool { subString == SubscriptionData.subAll || subString.isEmpty }

    public func toJSON() -> JSONValue {
        .object([
            ("classFilterMode", .bool(classFilterMode)),
            ("codeSet", .array(codeSet.map { .int($0) })),
            ("expressionType", .string(expressionType)),
            ("subString", .string(subString)),
            ("subVersion", .int(subVersion)),
            ("tagsSet", .array(tagsSet.map { .string($0) })),
            ("topic", .string(topic)),
        ])
    }

    /// Lenient read: C++ sends subVersion as a string, omits keys and sends a wrong codeSet, so the
    /// code set is always recomputed from the sub string.
    public init(json: JSONValue) throws(JSONParseError) {
        guard let topic = json["topic"]?.stringValue else { throw JSONParseError(offset: 0, reason: "subscription without topic") }
        let type = json["expressionType"]?.stringValue
        let built = SubscriptionData.build(topic: topic, subString: json["subString"]?.stringValue, type: type,
                                           subVersion: json["subVersion"]?.int64Value ?? 0)
        self = built
        self.classFilterMode = json["classFilterMode"]?.boolValue ?? false
    }
}

/// Expression types (`ExpressionType`).
public enum ExpressionType {
    public static let tag = "TAG"
    public static let sql92 = "SQL92"
    public static func isTagType(_ type: String?) -> Bool { type == nil || type!.isEmpty || type!.uppercased() == tag }
}

extension StringProtocol {
    /// Trims the given characters at both ends (Foundation-free).
    public func trimmingChars(_ set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s.removeFirst() }
        while let l = s.last, chars.contains(l) { s.removeLast() }
        return String(s)
    }
}

extension String {
    /// Splits on a multi-character separator (Foundation-free).
    public func components(separatedBy separator: String) -> [String] {
        guard !separator.isEmpty else { return [self] }
        var result: [String] = []
        var rest = Substring(self)
        while let range = rest.range(of: separator) {
            result.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        result.append(String(rest))
        return result
    }
}

extension Substring {
    func range(of needle: String) -> Range<Substring.Index>? {
        let n = Array(needle)
        guard !n.isEmpty else { return nil }
        var i = startIndex
        while i < endIndex {
            var j = i
            var k = 0
            while k < n.count, j < endIndex, self[j] == n[k] {
                j = index(after: j)
                k += 1
            }
            if k == n.count { return i..<j }
            i = index(after: i)
        }
        return nil
    }
}
