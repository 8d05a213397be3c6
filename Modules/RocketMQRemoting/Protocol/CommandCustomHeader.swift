//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// A request or response header carried in the command's ext fields (Java `CommandCustomHeader`).
///
/// Wire keys are the Java field names exactly. Decoding follows Java's leniency where it matters for
/// interop (booleans are true only for "true"), but a required field that is missing or malformed is
/// refused with a clear error instead of surfacing later as a null-pointer `SYSTEM_ERROR`.
public protocol CommandCustomHeader: Sendable {
    init(extFields: [String: String]) throws(RemotingError)
    func encode(into fields: inout [String: String])
}

/// Typed reads of ext fields with Java's parsing rules.
public struct ExtFieldReader {
    public let fields: [String: String]
    public init(_ fields: [String: String]) { self.fields = fields }

    public func string(_ name: String) throws(RemotingError) -> String {
        guard let v = fields[name] else { throw .missingHeaderField(name) }
        return v
    }
    public func optionalString(_ name: String) -> String? { fields[name] }

    public func int32(_ name: String) throws(RemotingError) -> Int32 {
        guard let raw = fields[name] else { throw .missingHeaderField(name) }
        guard let v = Int32(raw) ?? Self.integral(raw).flatMap({ Int32(exactly: $0) }) else {
            throw .invalidHeaderField(name: name, value: raw)
        }
        return v
    }
    public func optionalInt32(_ name: String) -> Int32? { fields[name].flatMap { Int32($0) ?? Self.integral($0).flatMap { Int32(exactly: $0) } } }

    public func int64(_ name: String) throws(RemotingError) -> Int64 {
        guard let raw = fields[name] else { throw .missingHeaderField(name) }
        guard let v = Int64(raw) ?? Self.integral(raw) else { throw .invalidHeaderField(name: name, value: raw) }
        return v
    }
    public func optionalInt64(_ name: String) -> Int64? { fields[name].flatMap { Int64($0) ?? Self.integral($0) } }

    /// Java `Boolean.parseBoolean`: true only for case-insensitive "true".
    public func bool(_ name: String, default value: Bool = false) -> Bool {
        guard let raw = fields[name] else { return value }
        return raw.count == 4 && raw.lowercased() == "true"
    }
    public func optionalBool(_ name: String) -> Bool? {
        fields[name].map { $0.count == 4 && $0.lowercased() == "true" }
    }

    /// Accepts "12.0"-style numbers some JSON writers produce for integers.
    static func integral(_ raw: String) -> Int64? {
        guard let d = Double(raw), d.rounded() == d, abs(d) < 9.2e18 else { return nil }
        return Int64(d)
    }
}

extension Dictionary where Key == String, Value == String {
    /// Sets a field only when the value is present (Java skips null fields).
    @inlinable
    public mutating func put(_ name: String, _ value: String?) { if let value { self[name] = value } }
    @inlinable
    public mutating func put<I: BinaryInteger>(_ name: String, _ value: I?) { if let value { self[name] = String(value) } }
    @inlinable
    public mutating func put(_ name: String, _ value: Bool?) { if let value { self[name] = value ? "true" : "false" } }
}

/// A header with no fields (for requests such as HEART_BEAT).
public struct EmptyHeader: CommandCustomHeader {
    public init() {}
    public init(extFields: [String: String]) {}
    public func encode(into fields: inout [String: String]) {}
}
