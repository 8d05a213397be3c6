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

    /// - Parameter codeSet: nil recomputes it from `tagsSet` (Java `String.hashCode` of each tag).
    public init(topic: String, subString: String, tagsSet: [String] = [], codeSet: [Int32]? = nil,
                subVersion: Int64 = Clock.millis(), expressionType: String = ExpressionType.tag,
                classFilterMode: Bool = false) {
        self.topic = topic
        self.subString = subString
        // Duplicates dropped by exact (UTF-8) equality, as Java's HashSet of String does.
        var unique: [String] = []
        for tag in tagsSet where !unique.contains(where: { $0.utf8.elementsEqual(tag.utf8) }) { unique.append(tag) }
        self.tagsSet = unique
        var codes: [Int32] = []
        for code in codeSet ?? unique.map(JavaHash.hashCode) where !codes.contains(code) { codes.append(code) }
        self.codeSet = codes
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

    /// The JSON object Java writes (fastjson's alphabetical key order).
    public var json: JSONValue { toJSON() }

    /// Reads a subscription leniently, as a Java broker accepts it from any client.
    ///
    /// Missing keys take Java's defaults (`TAG`, not class-filter, version now); `subVersion` and booleans may
    /// be strings (the C++ client sends them so). The wire `codeSet` is never trusted (C++ sends `atoi(tag)`):
    /// for tag subscriptions the tags are rebuilt from `subString` (or the wire `tagsSet` when it is absent)
    /// and hashed; other types keep the wire `tagsSet`.
    public init(json: JSONValue) throws(JSONParseError) {
        guard case .object = json else { throw JSONParseError(offset: 0, reason: "subscription is not a JSON object") }
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
            } else {
                tags = SubscriptionData.build(topic: topic, subString: text, type: expressionType).tagsSet
            }
        } else {
            tags = wireTags
            subString = wireTags.isEmpty ? Self.subAll : wireTags.joined(separator: " || ")
        }
        self.init(topic: topic, subString: subString, tagsSet: tags, subVersion: subVersion,
                  expressionType: expressionType, classFilterMode: classFilterMode)
    }
}

/// Expression types (`ExpressionType`). Names compare case-insensitively; blank means TAG.
public enum ExpressionType {
    public static let tag = "TAG"
    public static let sql92 = "SQL92"

    /// Whether `type` names the tag filter: nil, empty or `TAG` in any case.
    public static func isTagType(_ type: String?) -> Bool {
        guard let type, !type.isEmpty else { return true }
        return normalized(type) == tag
    }

    /// The registry key for a type name: ASCII upper case, empty meaning `TAG`.
    public static func normalized(_ type: String) -> String {
        if type.isEmpty { return tag }
        var utf8 = Array(type.utf8)
        for i in utf8.indices where utf8[i] >= 0x61 && utf8[i] <= 0x7A { utf8[i] -= 0x20 }
        return String(decoding: utf8, as: UTF8.self)
    }
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
