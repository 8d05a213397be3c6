//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// A command's ext fields (Java `HashMap<String, String> extFields`): string keys to string values.
///
/// Not a `Dictionary`: a header has about 5–15 fields, each read once, usually in the order they
/// were written. Two representations:
/// - **decoded** (`RawExtFields`): what a decoder produced, a copy of the header's key and value
///   bytes plus the offsets of each. Nothing is hashed and no `String` is made until a field is
///   read; integer fields are parsed straight from the bytes. This keeps the request path cheap.
/// - **built** (`entries`): an ordered list of pairs, used by code that sets fields.
/// Any mutation of a decoded table turns it into the built form first.
///
/// A lookup starts one past the previous hit, so in-order reads cost one comparison each.
/// Semantics are a dictionary's: one value per key (a later duplicate replaces the earlier one),
/// equality ignores order.
public struct ExtFields: Sendable {
    public typealias Element = (key: String, value: String)

    var entries: [Element]
    /// The decoded form; nil once built or mutated.
    private var shared: SharedRawExtFields?
    /// Where the next lookup starts (one past the last hit); only a hint.
    var cursor = 0

    public init() { entries = [] }

    public init(minimumCapacity: Int) {
        entries = []
        entries.reserveCapacity(minimumCapacity)
    }

    init(raw: RawExtFields) {
        entries = []
        shared = SharedRawExtFields(table: raw)
    }

    public var count: Int {
        if let t = shared?.table { return t.count }
        return entries.count
    }
    public var isEmpty: Bool { count == 0 }
    public var keys: [String] { elements.map(\.key) }

    /// All fields as pairs, in order.
    var elements: [Element] {
        guard let t = shared?.table else { return entries }
        return (0..<t.count).map { (key: t.key($0), value: t.value($0)) }
    }

    /// The fields as a dictionary (for callers that want hashing, e.g. diagnostics).
    public var dictionary: [String: String] {
        var d = [String: String](minimumCapacity: count)
        for e in elements { d[e.key] = e.value }
        return d
    }

    private mutating func materialize() {
        guard shared != nil else { return }
        entries = elements
        shared = nil
        cursor = 0
    }

    private func listIndex(of key: String) -> Int? {
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

    @inline(__always)
    private static func tableIndex(_ t: RawExtFields, _ key: String, _ cursor: Int) -> Int? {
        let n = t.count
        guard n > 0 else { return nil }
        return t.index(of: key, from: cursor < n ? cursor : 0)
    }

    /// Reading through the subscript does not move the lookup hint; `lookup` does.
    public subscript(key: String) -> String? {
        get {
            if let t = shared?.table { return Self.tableIndex(t, key, cursor).map { t.value($0) } }
            return listIndex(of: key).map { entries[$0].value }
        }
        set {
            materialize()
            if let i = listIndex(of: key) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i); cursor = 0 }
            } else if let newValue {
                entries.append((key: key, value: newValue))
            }
        }
    }

    /// Looks `key` up and remembers where it was found, so the next in-order lookup is immediate.
    public mutating func lookup(_ key: String) -> String? {
        if let t = shared?.table {
            guard let i = Self.tableIndex(t, key, cursor) else { return nil }
            cursor = i + 1
            return t.value(i)
        }
        guard let i = listIndex(of: key) else { return nil }
        cursor = i + 1
        return entries[i].value
    }

    /// An integer field: parsed from the bytes when it is plain decimal digits, else its text for the
    /// caller's lenient parsing ("12.0" and the like).
    enum IntegerLookup {
        case missing
        case value(Int64)
        case text(String)
    }

    mutating func lookupInteger(_ key: String) -> IntegerLookup {
        if let t = shared?.table {
            guard let i = Self.tableIndex(t, key, cursor) else { return .missing }
            cursor = i + 1
            if let v = t.decimal(i) { return .value(v) }
            return .text(t.value(i))
        }
        guard let i = listIndex(of: key) else { return .missing }
        cursor = i + 1
        let text = entries[i].value
        if let v = Int64(text) { return .value(v) }
        return .text(text)
    }

    /// Calls `body` with the UTF-8 bytes of each key and value, in order, without copying them
    /// (what the encoders and the ACL signer need; `package` so RocketMQAcl can use it).
    package func forEachUTF8(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Void) {
        if let t = shared?.table {
            t.forEachField(body)
            return
        }
        entries.withUnsafeBufferPointer { list in
            for e in list {
                Self.withUTF8(e.key) { k in Self.withUTF8(e.value) { v in body(k, v) } }
            }
        }
    }

    @inline(__always)
    static func withUTF8<R>(_ s: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return r }
        var copy = s
        return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    /// Total UTF-8 bytes of keys and values, and the number of fields.
    var utf8Size: (bytes: Int, fields: Int) {
        var bytes = 0
        var fields = 0
        forEachUTF8 { k, v in
            bytes &+= k.count &+ v.count
            fields &+= 1
        }
        return (bytes, fields)
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

/// Decoded ext fields in one allocation: four `Int32` offsets per field (key start, key length,
/// value start, value length; relative to the bytes), then the bytes holding every key and value.
///
/// Not `Sendable` itself (`ManagedBuffer` cannot be); `ExtFields` holds it through `SharedRawExtFields`.
final class RawExtFields: ManagedBuffer<RawExtFields.Header, UInt8> {
    struct Header {
        var count: Int
        var bytesStart: Int
    }

    /// Copies `spans` (four per field, offsets into `bytes`) and `bytes` into a new table.
    static func make(spans: UnsafeBufferPointer<Int32>, bytes: UnsafeRawBufferPointer) -> RawExtFields {
        let spanBytes = spans.count * 4
        let buffer = Self.create(minimumCapacity: spanBytes + bytes.count) { _ in
            Header(count: spans.count / 4, bytesStart: spanBytes)
        }
        let table = unsafeDowncast(buffer, to: RawExtFields.self)
        table.withUnsafeMutablePointerToElements { p in
            let raw = UnsafeMutableRawPointer(p)
            if let s = spans.baseAddress, spanBytes > 0 { raw.copyMemory(from: s, byteCount: spanBytes) }
            if let b = bytes.baseAddress, bytes.count > 0 { (raw + spanBytes).copyMemory(from: b, byteCount: bytes.count) }
        }
        return table
    }

    var count: Int { header.count }

    @inline(__always)
    private func span(_ base: UnsafeRawPointer, _ i: Int) -> Int { Int(base.loadUnaligned(fromByteOffset: i &* 4, as: Int32.self)) }

    /// Calls `body` with the value bytes of field `i`.
    @inline(__always)
    func withValue<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeMutablePointers { h, p in
            let base = UnsafeRawPointer(p)
            let start = h.pointee.bytesStart &+ span(base, 4 &* i &+ 2)
            return body(UnsafeRawBufferPointer(start: base + start, count: span(base, 4 &* i &+ 3)))
        }
    }

    func key(_ i: Int) -> String {
        withUnsafeMutablePointers { h, p in
            let base = UnsafeRawPointer(p)
            let start = h.pointee.bytesStart &+ span(base, 4 &* i)
            return String(decoding: UnsafeRawBufferPointer(start: base + start, count: span(base, 4 &* i &+ 1)), as: UTF8.self)
        }
    }

    func value(_ i: Int) -> String { withValue(i) { String(decoding: $0, as: UTF8.self) } }

    /// The first field named `key`, searching cyclically from `start`.
    func index(of key: String, from start: Int) -> Int? {
        ExtFields.withUTF8(key) { index(of: $0, from: start) }
    }

    private func index(of key: UnsafeRawBufferPointer, from start: Int) -> Int? {
        withUnsafeMutablePointers { h, p in
            let n = h.pointee.count
            let base = UnsafeRawPointer(p)
            let bytes = base + h.pointee.bytesStart
            let length = key.count
            var i = start
            for _ in 0..<n {
                if span(base, 4 &* i &+ 1) == length && Self.equal(bytes + span(base, 4 &* i), key.baseAddress, length) {
                    return i
                }
                i &+= 1
                if i == n { i = 0 }
            }
            return nil
        }
    }

    /// Calls `body` with each key's and value's bytes, in order.
    func forEachField(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Void) {
        withUnsafeMutablePointers { h, p in
            let base = UnsafeRawPointer(p)
            let bytes = base + h.pointee.bytesStart
            for i in 0..<h.pointee.count {
                body(UnsafeRawBufferPointer(start: bytes + span(base, 4 &* i), count: span(base, 4 &* i &+ 1)),
                     UnsafeRawBufferPointer(start: bytes + span(base, 4 &* i &+ 2), count: span(base, 4 &* i &+ 3)))
            }
        }
    }

    /// Byte equality for short keys without a libc call (header keys are 1–25 bytes).
    @inline(__always)
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer?, _ count: Int) -> Bool {
        guard count > 0, let b else { return true }
        var i = 0
        while i &+ 8 <= count {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i &+= 8
        }
        while i < count {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i &+= 1
        }
        return true
    }

    /// The value of field `i` as a plain (optionally negative) decimal of at most 18 digits, else nil.
    func decimal(_ i: Int) -> Int64? {
        withValue(i) { raw -> Int64? in
            var j = 0
            let end = raw.count
            guard end > 0 else { return nil }
            let negative = raw[0] == UInt8(ascii: "-")
            if negative { j = 1 }
            guard j < end, end - j <= 18 else { return nil }
            var v: Int64 = 0
            while j < end {
                let d = raw[j] &- UInt8(ascii: "0")
                guard d <= 9 else { return nil }
                v = v &* 10 &+ Int64(d)
                j &+= 1
            }
            return negative ? -v : v
        }
    }
}

/// `@unchecked Sendable`: the table is written only inside `RawExtFields.make`, before any reference
/// to it exists elsewhere, and never mutated afterwards.
struct SharedRawExtFields: @unchecked Sendable {
    let table: RawExtFields
}

/// Collects the spans of a decoded table in caller-provided memory, keeping one entry per key (a
/// later duplicate replaces the earlier value, as a Java `HashMap` would).
struct RawExtFieldsBuilder {
    private let spans: UnsafeMutableBufferPointer<Int32>
    private(set) var used = 0
    /// A cheap pre-check for duplicate keys: one bit per (first byte, length). Distinct keys of one
    /// header almost never share a bit, so the byte-wise duplicate search runs only for real
    /// duplicates (or a rare collision).
    private var sieve: UInt64 = 0

    /// `spans` must hold four `Int32` per field that may be added.
    init(spans: UnsafeMutableBufferPointer<Int32>) { self.spans = spans }

    /// Adds a field whose key and value lie at the given offsets of `raw` (the table's bytes).
    mutating func add(key: Int, keyLength: Int, value: Int, valueLength: Int, in raw: UnsafeRawBufferPointer) {
        let first = keyLength > 0 ? Int(raw[key]) : 0
        let bit = UInt64(1) << (UInt64(truncatingIfNeeded: first &* 31 &+ keyLength) & 63)
        if sieve & bit != 0 {
            var j = 0
            while j < used {
                if Int(spans[j + 1]) == keyLength
                    && (keyLength == 0 || RawExtFields.equal(raw.baseAddress! + Int(spans[j]), raw.baseAddress! + key, keyLength))
                {
                    spans[j + 2] = Int32(value)
                    spans[j + 3] = Int32(valueLength)
                    return
                }
                j += 4
            }
        }
        sieve |= bit
        spans[used] = Int32(key)
        spans[used + 1] = Int32(keyLength)
        spans[used + 2] = Int32(value)
        spans[used + 3] = Int32(valueLength)
        used += 4
    }

    /// The table over `bytes` (copied), or an empty `ExtFields` when nothing was added.
    ///
    /// The table matches keys byte for byte, which agrees with `String` equality only for valid UTF-8. A header
    /// with malformed UTF-8 (a peer bug or garbage; found by fuzzing) is decoded as Java decodes it, with
    /// U+FFFD for the bad bytes, into the built form, so every key it lists can be looked up again.
    func build(_ bytes: UnsafeRawBufferPointer) -> ExtFields {
        guard used > 0 else { return ExtFields() }
        let fields = UnsafeBufferPointer(rebasing: spans[0..<used])
        guard Self.allValidUTF8(fields, bytes) else {
            var repaired = ExtFields(minimumCapacity: used / 4)
            for j in stride(from: 0, to: used, by: 4) {
                func string(_ offset: Int32, _ length: Int32) -> String {
                    String(decoding: UnsafeRawBufferPointer(rebasing: bytes[Int(offset)..<Int(offset + length)]),
                           as: UTF8.self)
                }
                repaired[string(fields[j], fields[j + 1])] = string(fields[j + 2], fields[j + 3])
            }
            return repaired
        }
        return ExtFields(raw: RawExtFields.make(spans: fields, bytes: bytes))
    }

    /// Whether every key and value is valid UTF-8; ASCII (the usual header) is checked eight bytes at a time.
    private static func allValidUTF8(_ fields: UnsafeBufferPointer<Int32>, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        for j in stride(from: 0, to: fields.count, by: 2) {
            let start = Int(fields[j]), length = Int(fields[j + 1])
            var i = 0
            while i + 8 <= length, base.loadUnaligned(fromByteOffset: start + i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
            while i < length, base.load(fromByteOffset: start + i, as: UInt8.self) < 0x80 { i += 1 }
            if i < length,
               String(validating: UnsafeRawBufferPointer(start: base + start + i, count: length - i), as: UTF8.self) == nil
            {
                return false
            }
        }
        return true
    }
}
