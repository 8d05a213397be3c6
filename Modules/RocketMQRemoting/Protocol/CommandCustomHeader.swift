//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// A request or response header carried in the command's ext fields (Java `CommandCustomHeader`).
///
/// Wire keys are the Java field names exactly. Decoding follows Java's leniency where it matters for
/// interop (booleans are true only for "true"), but a required field that is missing or malformed is
/// refused with a clear error instead of surfacing later as a null-pointer `SYSTEM_ERROR`.
public protocol CommandCustomHeader: Sendable {
    init(extFields: ExtFields) throws(RemotingError)
    func encode(into fields: inout ExtFields)
}

/// Typed reads of ext fields with Java's parsing rules.
///
/// Reads are `mutating` only to advance the lookup hint of `ExtFields` (fields are usually read in
/// the order they were written, so each read is then one comparison).
public struct ExtFieldReader {
    public var fields: ExtFields
    public init(_ fields: ExtFields) { self.fields = fields }

    public mutating func string(_ name: String) throws(RemotingError) -> String {
        guard let v = fields.lookup(name) else { throw .missingHeaderField(name) }
        return v
    }
    public mutating func optionalString(_ name: String) -> String? { fields.lookup(name) }

    /// An integer field: plain digits parsed in place, other text through `Int64(_:)` or, for
    /// "12.0"-style numbers, `integral`. `text` is the field as sent (for error remarks).
    private enum Integer {
        case missing
        case value(Int64, text: String?)
        case invalid(String)
    }

    private mutating func integer(_ name: String) -> Integer {
        switch fields.lookupInteger(name) {
        case .missing: return .missing
        case .value(let v): return .value(v, text: nil)
        case .text(let raw): return (Int64(raw) ?? Self.integral(raw)).map { .value($0, text: raw) } ?? .invalid(raw)
        }
    }

    public mutating func int32(_ name: String) throws(RemotingError) -> Int32 {
        switch integer(name) {
        case .missing: throw .missingHeaderField(name)
        case .value(let v, let text):
            guard let n = Int32(exactly: v) else { throw .invalidHeaderField(name: name, value: text ?? String(v)) }
            return n
        case .invalid(let raw): throw .invalidHeaderField(name: name, value: raw)
        }
    }
    public mutating func optionalInt32(_ name: String) -> Int32? {
        guard case .value(let v, _) = integer(name) else { return nil }
        return Int32(exactly: v)
    }

    public mutating func int64(_ name: String) throws(RemotingError) -> Int64 {
        switch integer(name) {
        case .missing: throw .missingHeaderField(name)
        case .value(let v, _): return v
        case .invalid(let raw): throw .invalidHeaderField(name: name, value: raw)
        }
    }
    public mutating func optionalInt64(_ name: String) -> Int64? {
        guard case .value(let v, _) = integer(name) else { return nil }
        return v
    }

    /// Java `Boolean.parseBoolean`: true only for case-insensitive "true".
    public mutating func bool(_ name: String, default value: Bool = false) -> Bool {
        guard let raw = fields.lookup(name) else { return value }
        return Self.isTrue(raw)
    }
    public mutating func optionalBool(_ name: String) -> Bool? { fields.lookup(name).map(Self.isTrue) }

    @inline(__always)
    static func isTrue(_ raw: String) -> Bool {
        raw == "true" || (raw.utf8.count == 4 && raw.lowercased() == "true")
    }

    /// Accepts "12.0"-style numbers some JSON writers produce for integers.
    static func integral(_ raw: String) -> Int64? {
        guard let d = Double(raw), d.rounded() == d, abs(d) < 9.2e18 else { return nil }
        return Int64(d)
    }
}

/// A header with no fields (for requests such as HEART_BEAT).
public struct EmptyHeader: CommandCustomHeader {
    public init() {}
    public init(extFields: ExtFields) {}
    public func encode(into fields: inout ExtFields) {}
}
