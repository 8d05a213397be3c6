//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A command's ext fields (Java `HashMap<String, String> extFields`): string keys to string values.
///
/// Not a `Dictionary`: a header has about 5–15 fields, each read once, usually in the order they
/// were written. Two representations:
/// - **decoded** (`raw`): what a decoder produced, the header bytes plus the offsets of each key and
///   value. Nothing is hashed and no `String` is made until a field is read; integer fields are
///   parsed straight from the bytes. This is what keeps the request path cheap.
/// - **built** (`entries`): an ordered list of pairs, used by code that sets fields.
/// Any mutation of a decoded table turns it into the built form first.
///
/// A lookup starts one past the previous hit, so in-order reads cost one comparison each.
/// Semantics are a dictionary's: one value per key (a later duplicate replaces the earlier one),
/// equality ignores order.
public struct ExtFields: Sendable {
    public typealias Element = (key: String, value: String)

    var entries: [Element]
    var raw: RawExtFields?
    /// Where the next lookup starts (one past the last hit); only a hint.
    var cursor = 0

    public init() { entries = [] }

    public init(minimumCapacity: Int) {
        entries = []
        entries.reserveCapacity(minimumCapacity)
    }

    public init(_ dictionary: [String: String]) {
        entries = dictionary.map { (key: $0.key, value: $0.value) }
    }

    init(raw: RawExtFields) {
        entries = []
        self.raw = raw
    }

    public var count: Int { raw?.count ?? entries.count }
    public var isEmpty: Bool { count == 0 }
    public var keys: [String] { elements.map(\.key) }
    public var values: [String] { elements.map(\.value) }

    /// All fields as pairs, in order.
    var elements: [Element] {
        guard let raw else { return entries }
        return (0..<raw.count).map { (key: raw.string(raw.keyRange($0)), value: raw.string(raw.valueRange($0))) }
    }

    /// The fields as a dictionary (for callers that want hashing, e.g. diagnostics).
    public var dictionary: [String: String] {
        var d = [String: String](minimumCapacity: count)
        for e in elements { d[e.key] = e.value }
        return d
    }

    private mutating func materialize() {
        guard raw != nil else { return }
        entries = elements
        raw = nil
        cursor = 0
    }

    private func index(of key: String) -> Int? {
        let n = count
        guard n > 0 else { return nil }
        let start = cursor < n ? cursor : 0
        if let raw { return raw.index(of: key, from: start) }
        var i = start
        for _ in 0..<n {
            if entries[i].key == key { return i }
            i += 1
            if i == n { i = 0 }
        }
        return nil
    }

    private func value(at i: Int) -> String {
        if let raw { return raw.string(raw.valueRange(i)) }
        return entries[i].value
    }

    /// Reading through the subscript does not move the lookup hint; `lookup` does.
    public subscript(key: String) -> String? {
        get { index(of: key).map { value(at: $0) } }
        set {
            materialize()
            if let i = index(of: key) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i); cursor = 0 }
            } else if let newValue {
                entries.append((key: key, value: newValue))
            }
        }
    }

    /// Looks `key` up and remembers where it was found, so the next in-order lookup is immediate.
    public mutating func lookup(_ key: String) -> String? {
        guard let i = index(of: key) else { return nil }
        cursor = i + 1
        return value(at: i)
    }

    /// An integer field: parsed from the bytes when it is plain decimal digits, else its text for the
    /// caller's lenient parsing ("12.0" and the like).
    enum IntegerLookup {
        case missing
        case value(Int64)
        case text(String)
    }

    mutating func lookupInteger(_ key: String) -> IntegerLookup {
        guard let i = index(of: key) else { return .missing }
        cursor = i + 1
        if let raw {
            let range = raw.valueRange(i)
            if let v = raw.decimal(range) { return .value(v) }
            return .text(raw.string(range))
        }
        let text = entries[i].value
        if let v = Int64(text) { return .value(v) }
        return .text(text)
    }

    /// Appends without looking for an existing key: for decoders that already know the key is new.
    mutating func appendNew(_ key: String, _ value: String) {
        materialize()
        entries.append((key: key, value: value))
    }

    /// Removes and returns a field.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> String? {
        materialize()
        guard let i = index(of: key) else { return nil }
        cursor = 0
        return entries.remove(at: i).value
    }

    /// Adds every field of `other`, replacing values of keys present in both.
    public mutating func merge(_ other: ExtFields) {
        for e in other.elements { self[e.key] = e.value }
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
    public func makeIterator() -> IndexingIterator<[Element]> { elements.makeIterator() }
    public var underestimatedCount: Int { count }
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
        guard lhs.count == rhs.count else { return false }
        for e in lhs.elements where rhs[e.key] != e.value { return false }
        return true
    }
}

extension ExtFields: CustomStringConvertible {
    /// Printed like a dictionary, in key order so logs are stable.
    public var description: String {
        guard !isEmpty else { return "[:]" }
        return "[" + elements.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", ") + "]"
    }
}

/// Decoded ext fields: bytes holding every key and value, and four offsets per field
/// (key start, key length, value start, value length), relative to the bytes' reader index.
struct RawExtFields: Sendable {
    let bytes: ByteBuffer
    let spans: [Int32]

    var count: Int { spans.count / 4 }

    func keyRange(_ i: Int) -> Range<Int> { Int(spans[4 * i])..<Int(spans[4 * i] + spans[4 * i + 1]) }
    func valueRange(_ i: Int) -> Range<Int> { Int(spans[4 * i + 2])..<Int(spans[4 * i + 2] + spans[4 * i + 3]) }

    func string(_ range: Range<Int>) -> String {
        bytes.withUnsafeReadableBytes { raw in
            String(decoding: UnsafeRawBufferPointer(rebasing: raw[range]), as: UTF8.self)
        }
    }

    /// The first field named `key`, searching cyclically from `start`.
    func index(of key: String, from start: Int) -> Int? {
        var key = key
        return key.withUTF8 { k -> Int? in
            bytes.withUnsafeReadableBytes { raw -> Int? in
                let n = count
                let length = Int32(k.count)
                var i = start
                for _ in 0..<n {
                    if spans[4 * i + 1] == length
                        && (length == 0 || memcmp(raw.baseAddress! + Int(spans[4 * i]), k.baseAddress!, k.count) == 0)
                    {
                        return i
                    }
                    i += 1
                    if i == n { i = 0 }
                }
                return nil
            }
        }
    }

    /// A plain (optionally negative) decimal of at most 18 digits, else nil.
    func decimal(_ range: Range<Int>) -> Int64? {
        bytes.withUnsafeReadableBytes { raw -> Int64? in
            var i = range.lowerBound
            let end = range.upperBound
            guard i < end else { return nil }
            let negative = raw[i] == UInt8(ascii: "-")
            if negative { i += 1 }
            guard i < end, end - i <= 18 else { return nil }
            var v: Int64 = 0
            while i < end {
                let d = raw[i] &- UInt8(ascii: "0")
                guard d <= 9 else { return nil }
                v = v &* 10 &+ Int64(d)
                i += 1
            }
            return negative ? -v : v
        }
    }
}

/// Collects the spans of a decoded table, keeping one entry per key (a later duplicate replaces the
/// earlier value, as a Java `HashMap` would).
struct RawExtFieldsBuilder {
    private(set) var spans: [Int32] = []
    /// A cheap pre-check for duplicate keys: one bit per (first byte, length). Distinct keys of one
    /// header almost never share a bit, so the byte-wise duplicate search runs only for real
    /// duplicates (or a rare collision).
    private var sieve: UInt64 = 0

    init(capacity: Int) { spans.reserveCapacity(capacity * 4) }

    /// Adds a field whose key and value lie at the given offsets of `raw` (the table's bytes).
    mutating func add(key: Int, keyLength: Int, value: Int, valueLength: Int, in raw: UnsafeRawBufferPointer) {
        let first = keyLength > 0 ? Int(raw[key]) : 0
        let bit = UInt64(1) << (UInt64(truncatingIfNeeded: first &* 31 &+ keyLength) & 63)
        if sieve & bit != 0 {
            var j = 0
            while j < spans.count {
                if Int(spans[j + 1]) == keyLength
                    && (keyLength == 0 || memcmp(raw.baseAddress! + Int(spans[j]), raw.baseAddress! + key, keyLength) == 0)
                {
                    spans[j + 2] = Int32(value)
                    spans[j + 3] = Int32(valueLength)
                    return
                }
                j += 4
            }
        }
        sieve |= bit
        spans.append(Int32(key))
        spans.append(Int32(keyLength))
        spans.append(Int32(value))
        spans.append(Int32(valueLength))
    }

    func build(_ bytes: ByteBuffer) -> ExtFields { ExtFields(raw: RawExtFields(bytes: bytes, spans: spans)) }
}
