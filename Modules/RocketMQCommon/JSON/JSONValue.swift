//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// A small JSON tree used for RocketMQ's bodies and JSON headers.
///
/// RocketMQ peers are lenient in ways Codable is not: the C++ client sends enum ordinals where Java sends
/// names, numbers where Java sends strings, and Java writes maps with numeric keys. Reading into a tree
/// and mapping by hand keeps those rules in one obvious place per type.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double, raw: String)
    case string(String)
    case array([JSONValue])
    /// Key order is kept so output is deterministic.
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a, _), .number(let b, _)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public static func int(_ v: Int64) -> JSONValue { .number(Double(v), raw: String(v)) }
    public static func int(_ v: Int32) -> JSONValue { .number(Double(v), raw: String(v)) }
    public static func int(_ v: Int) -> JSONValue { .number(Double(v), raw: String(v)) }

    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for (k, v) in members where k == key { return v }
        return nil
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// String form, accepting numbers and booleans as Java's lenient readers do.
    public var stringValue: String? {
        switch self {
        case .string(let s): return s
        case .number(_, let raw): return raw
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    public var int64Value: Int64? {
        switch self {
        case .number(let d, let raw): return Int64(raw) ?? (d.isFinite ? Int64(exactly: d.rounded()) : nil)
        case .string(let s): return Int64(s.trimmingSpaces)
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    public var int32Value: Int32? { int64Value.flatMap { Int32(exactly: $0) } }
    public var intValue: Int? { int64Value.map { Int($0) } }

    public var doubleValue: Double? {
        switch self {
        case .number(let d, _): return d
        case .string(let s): return Double(s)
        default: return nil
        }
    }

    public var boolValue: Bool? {
        switch self {
        case .bool(let b): return b
        case .string(let s): return s.lowercased() == "true"
        case .number(let d, _): return d != 0
        default: return nil
        }
    }

    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: [(String, JSONValue)]? { if case .object(let o) = self { return o } else { return nil } }
}

extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\n" || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\n" || l == "\t" || l == "\r" { s.removeLast() }
        return s
    }
}
