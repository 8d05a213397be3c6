//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// A command's ext fields (Java `HashMap<String, String> extFields`): string keys to string values.
///
/// Kept as a small ordered list rather than a `Dictionary`: a header has about 5–15 fields, read
/// once each, usually in the order they were written. A lookup starts after the previous hit, so
/// in-order reads cost one comparison each and nothing is hashed; on the send path that halves the
/// cost of decoding a request header. Semantics are a dictionary's: one value per key (a later
/// duplicate replaces the earlier one), equality ignores order.
public struct ExtFields: Sendable {
    public typealias Element = (key: String, value: String)

    @usableFromInline var entries: [Element]
    /// Where the next lookup starts (one past the last hit); only a hint.
    @usableFromInline var cursor = 0

    public init() { entries = [] }

    public init(minimumCapacity: Int) {
        entries = []
        entries.reserveCapacity(minimumCapacity)
    }

    public init(_ dictionary: [String: String]) {
        entries = dictionary.map { (key: $0.key, value: $0.value) }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }
    public var values: [String] { entries.map(\.value) }

    /// The fields as a dictionary (for callers that want hashing, e.g. diagnostics).
    public var dictionary: [String: String] {
        var d = [String: String](minimumCapacity: entries.count)
        for e in entries { d[e.key] = e.value }
        return d
    }

    @inlinable
    func index(of key: String) -> Int? {
        let n = entries.count
        guard n > 0 else { return nil }
        var i = cursor < n ? cursor : 0
        for _ in 0..<n {
            if entries[i].key == key { return i }
            i += 1
            if i == n { i = 0 }
        }
        return nil
    }

    /// Reads advance the lookup hint, so `mutating` is not needed: the hint lives in the value and a
    /// read through a `let` just starts from the front (still correct, a little slower).
    public subscript(key: String) -> String? {
        get { index(of: key).map { entries[$0].value } }
        set {
            if let i = index(of: key) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i); cursor = 0 }
            } else if let newValue {
                entries.append((key: key, value: newValue))
            }
        }
    }

    /// Looks `key` up and remembers where it was found, so the next in-order lookup is immediate.
    @inlinable
    public mutating func lookup(_ key: String) -> String? {
        guard let i = index(of: key) else { return nil }
        cursor = i + 1
        return entries[i].value
    }

    /// Appends without looking for an existing key: for decoders that already know the key is new.
    @inlinable
    mutating func appendNew(_ key: String, _ value: String) { entries.append((key: key, value: value)) }

    /// Removes and returns a field.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> String? {
        guard let i = index(of: key) else { return nil }
        cursor = 0
        return entries.remove(at: i).value
    }

    /// Adds every field of `other`, replacing values of keys present in both.
    public mutating func merge(_ other: ExtFields) {
        for e in other.entries { self[e.key] = e.value }
    }

    /// Sets a field only when the value is present (Java skips null fields).
    @inlinable
    public mutating func put(_ name: String, _ value: String?) { if let value { self[name] = value } }
    @inlinable
    public mutating func put<I: BinaryInteger>(_ name: String, _ value: I?) { if let value { self[name] = String(value) } }
    @inlinable
    public mutating func put(_ name: String, _ value: Bool?) { if let value { self[name] = value ? "true" : "false" } }
}

extension ExtFields: Sequence {
    public func makeIterator() -> IndexingIterator<[Element]> { entries.makeIterator() }
    public var underestimatedCount: Int { entries.count }
}

extension ExtFields: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, String)...) {
        entries = []
        entries.reserveCapacity(elements.count)
        for (k, v) in elements { self[k] = v }
    }
}

extension ExtFields: Equatable {
    /// Dictionary equality: the same keys with the same values, in any order.
    public static func == (lhs: ExtFields, rhs: ExtFields) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for e in lhs.entries where rhs[e.key] != e.value { return false }
        return true
    }
}

extension ExtFields: CustomStringConvertible {
    /// Printed like a dictionary, in key order so logs are stable.
    public var description: String {
        guard !entries.isEmpty else { return "[:]" }
        return "[" + entries.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", ") + "]"
    }
}

/// A cheap pre-check for duplicate keys while decoding: one bit per (first byte, length) pair.
/// Distinct keys of one header almost never share a bit, so the linear duplicate search runs only
/// for real duplicates (or a rare collision).
struct ExtKeySieve {
    private var bits: UInt64 = 0

    @inline(__always)
    mutating func mightContain(firstByte: UInt8, length: Int) -> Bool {
        let bit = UInt64(1) << (UInt64(truncatingIfNeeded: Int(firstByte) &* 31 &+ length) & 63)
        defer { bits |= bit }
        return bits & bit != 0
    }
}
