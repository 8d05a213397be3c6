//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RocketMQCommon

/// The JSON header codec (serialize type 0), written and read without building a JSON tree.
///
/// Writes keys in fastjson's alphabetical order with ext values always as strings; reads leniently:
/// ext values may be strings, numbers or booleans, `remark`/`extFields` may be absent or null,
/// `language` may be a name or an ordinal, unknown keys and trailing whitespace are ignored.
public enum JSONHeaderCodec {
    public static func encode(_ command: RemotingCommand, into buffer: inout ByteBuffer) {
        let s = command.storage
        // Ext fields in their insertion order (fastjson writes a HashMap's order, which no reader relies on).
        let fields = s.extFields
        var remark = s.remark
        var language = s.language.name
        // Upper bound: the fixed keys and numbers fit in 192 bytes; strings are measured exactly.
        var bound = 192 + language.utf8.count
        fields.forEachUTF8 { key, value in bound &+= JSONText.escapedLength(key) &+ JSONText.escapedLength(value) &+ 2 }
        if let remark { bound &+= JSONText.escapedLength(remark) }
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { raw -> Int in
            var w = JSONText(base: raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
            w.write("{\"code\":")
            w.writeDecimal(s.code)
            if !fields.isEmpty {
                w.write(",\"extFields\":{")
                var first = true
                fields.forEachUTF8 { key, value in
                    if !first { w.byte(UInt8(ascii: ",")) }
                    first = false
                    w.writeString(key)
                    w.byte(UInt8(ascii: ":"))
                    w.writeString(value)
                }
                w.byte(UInt8(ascii: "}"))
            }
            w.write(",\"flag\":")
            w.writeDecimal(s.flag)
            w.write(",\"language\":\"")
            language.withUTF8 { w.raw($0) }
            w.write("\",\"opaque\":")
            w.writeDecimal(s.opaque)
            if remark != nil {
                w.write(",\"remark\":")
                w.writeString(remark!)
                remark = nil
            }
            w.write(",\"serializeTypeCurrentRPC\":\"JSON\",\"version\":")
            w.writeDecimal(s.version)
            w.byte(UInt8(ascii: "}"))
            return w.offset
        }
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer, body: ByteBuffer?) throws(RemotingDecodingError) -> RemotingCommand {
        let typed = bytes.bindMemory(to: UInt8.self)
        var p = JSONParser(bytes: typed)
        var command = RemotingCommand(code: 0, version: 0, body: body)
        let s = command.storage
        do {
            p.skipWhitespace()
            guard p.index < typed.count, typed[p.index] == UInt8(ascii: "{") else {
                throw RemotingDecodingError.invalidHeader("expected a JSON object")
            }
            p.index += 1
            p.skipWhitespace()
            if p.index < typed.count, typed[p.index] == UInt8(ascii: "}") {
                p.index += 1
            } else {
                while true {
                    p.skipWhitespace()
                    guard p.index < typed.count, typed[p.index] == UInt8(ascii: "\"") else {
                        throw RemotingDecodingError.invalidHeader("expected a key at byte \(p.index)")
                    }
                    let key = try headerKey(&p)
                    p.skipWhitespace()
                    guard p.index < typed.count, typed[p.index] == UInt8(ascii: ":") else {
                        throw RemotingDecodingError.invalidHeader("expected ':' at byte \(p.index)")
                    }
                    p.index += 1
                    p.skipWhitespace()
                    switch key {
                    case .code: s.code = try fastInt32(&p, "code")
                    case .flag: s.flag = try fastInt32(&p, "flag")
                    case .opaque: s.opaque = try fastInt32(&p, "opaque")
                    case .version: s.version = try fastInt32(&p, "version")
                    case .language:
                        let v = try p.parseValue(depth: 1)
                        if case .string(let name) = v { s.language = LanguageCode(name: name) ?? .other }
                        else if let n = v.intValue, n >= 0, n < 256 { s.language = LanguageCode(rawValue: UInt8(n)) }
                    case .remark:
                        let v = try p.parseValue(depth: 1)
                        s.remark = v.isNull ? nil : v.stringValue
                    case .extFields:
                        if let fields = try stringObject(&p) {
                            s.extFields = fields
                            break
                        }
                        let v = try p.parseValue(depth: 1)
                        if case .object(let members) = v {
                            var fields = ExtFields(minimumCapacity: members.count)
                            for (k, value) in members {
                                if let str = value.stringValue { fields[k] = str }
                            }
                            s.extFields = fields
                        } else if !v.isNull {
                            throw RemotingDecodingError.invalidHeader("extFields is not an object")
                        }
                    default:
                        _ = try p.parseValue(depth: 1)
                    }
                    p.skipWhitespace()
                    guard p.index < typed.count else { throw RemotingDecodingError.invalidHeader("unterminated object") }
                    if typed[p.index] == UInt8(ascii: ",") { p.index += 1; continue }
                    if typed[p.index] == UInt8(ascii: "}") { p.index += 1; break }
                    throw RemotingDecodingError.invalidHeader("expected ',' or '}' at byte \(p.index)")
                }
            }
            p.skipWhitespace()
            if p.index != typed.count { throw RemotingDecodingError.invalidHeader("trailing bytes after the header") }
        } catch let e as RemotingDecodingError {
            throw e
        } catch {
            throw RemotingDecodingError.invalidHeader("\(error)")
        }
        command.serializeType = .json
        return command
    }

    /// The header's own keys. Only these matter; the rest (`serializeTypeCurrentRPC`, unknown keys) are skipped.
    enum HeaderKey {
        case code, flag, opaque, version, language, remark, extFields, other

        /// Recognised from the key's (unescaped) bytes, without making a `String`.
        init(_ key: UnsafeBufferPointer<UInt8>) {
            @inline(__always) func is_(_ name: StaticString) -> Bool {
                name.utf8CodeUnitCount == key.count && memcmp(name.utf8Start, key.baseAddress!, key.count) == 0
            }
            switch key.count {
            case 4: self = is_("code") ? .code : is_("flag") ? .flag : .other
            case 6: self = is_("opaque") ? .opaque : is_("remark") ? .remark : .other
            case 7: self = is_("version") ? .version : .other
            case 8: self = is_("language") ? .language : .other
            case 9: self = is_("extFields") ? .extFields : .other
            default: self = .other
            }
        }
    }

    /// Reads a key at the parser's position (a quote). A key with escapes is unescaped first.
    static func headerKey(_ p: inout JSONParser) throws(JSONParseError) -> HeaderKey {
        let bytes = p.bytes
        let start = p.index + 1
        var i = start
        while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
            var unescaped: [UInt8] = []
            try appendString(&p, to: &unescaped)
            return unescaped.withUnsafeBufferPointer { HeaderKey($0) }
        }
        p.index = i + 1
        return HeaderKey(UnsafeBufferPointer(rebasing: bytes[start..<i]))
    }

    /// A plain decimal integer read in place; anything else (fractions, exponents, very long digit
    /// runs, strings) goes through the general parser with the same result as before.
    static func fastInt32(_ p: inout JSONParser, _ key: String) throws -> Int32 {
        let bytes = p.bytes
        var i = p.index
        let negative = i < bytes.count && bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        let digitsStart = i
        var value: Int64 = 0
        while i < bytes.count, i - digitsStart < 18 {
            let d = bytes[i] &- UInt8(ascii: "0")
            if d > 9 { break }
            value = value * 10 + Int64(d)
            i += 1
        }
        let terminated = i == bytes.count || { let c = bytes[i]; return c == UInt8(ascii: ",") || c == UInt8(ascii: "}")
            || c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }()
        guard i > digitsStart, terminated else { return try int32(&p, key) }
        p.index = i
        guard let n = Int32(exactly: negative ? -value : value) else {
            throw RemotingDecodingError.invalidHeader("\(key) is not an int")
        }
        return n
    }

    /// Reads a JSON string at the parser's position (which must be a quote). Escapes are decoded
    /// straight into UTF-8, with the same replacement rules as `JSONParser.parseString`.
    static func parseString(_ p: inout JSONParser) throws(JSONParseError) -> String {
        let bytes = p.bytes
        var i = p.index + 1
        let start = i
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                p.index = i + 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            }
            if c == UInt8(ascii: "\\") { break }
            i += 1
        }
        var out = [UInt8]()
        out.reserveCapacity(i - start + 64)
        try appendString(&p, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the JSON string at the parser's position (which must be a quote) to `out`, unescaped.
    static func appendString(_ p: inout JSONParser, to out: inout [UInt8]) throws(JSONParseError) {
        let bytes = p.bytes
        var i = p.index + 1
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                p.index = i + 1
                return
            }
            guard c == UInt8(ascii: "\\") else {
                // Copy the run up to the next quote or backslash in one go.
                let runStart = i
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                continue
            }
            i += 1
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                p.index = i
                var scalar = try hex4(&p)
                if scalar >= 0xD800 && scalar < 0xDC00, p.index + 6 <= bytes.count,
                   bytes[p.index] == UInt8(ascii: "\\"), bytes[p.index + 1] == UInt8(ascii: "u")
                {
                    p.index += 2
                    let low = try hex4(&p)
                    scalar = low >= 0xDC00 && low < 0xE000 ? 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
                }
                i = p.index
                appendUTF8(Unicode.Scalar(scalar) ?? "\u{FFFD}", to: &out)
            default:
                p.index = i
                throw p.error("invalid escape")
            }
        }
        p.index = i
        throw p.error("unterminated string")
    }

    private static func hex4(_ p: inout JSONParser) throws(JSONParseError) -> UInt32 {
        guard p.index + 4 <= p.bytes.count else { throw p.error("short unicode escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = p.bytes[p.index]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw p.error("invalid unicode escape")
            }
            v = v << 4 | d
            p.index += 1
        }
        return v
    }

    @inline(__always)
    private static func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        let v = scalar.value
        switch v {
        case 0..<0x80: out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(0xC0 | UInt8(v >> 6)); out.append(0x80 | UInt8(v & 0x3F))
        case 0x800..<0x10000:
            out.append(0xE0 | UInt8(v >> 12)); out.append(0x80 | UInt8((v >> 6) & 0x3F)); out.append(0x80 | UInt8(v & 0x3F))
        default:
            out.append(0xF0 | UInt8(v >> 18)); out.append(0x80 | UInt8((v >> 12) & 0x3F))
            out.append(0x80 | UInt8((v >> 6) & 0x3F)); out.append(0x80 | UInt8(v & 0x3F))
        }
    }

    /// The usual `extFields` shape — an object whose keys are quoted and whose values are scalars —
    /// read straight into a decoded table (unescaped keys and values in one byte array, see
    /// `ExtFields`). Returns nil (with the parser where it was) for anything else, which the general
    /// path then handles exactly as before.
    static func stringObject(_ p: inout JSONParser) throws -> ExtFields? {
        let bytes = p.bytes
        let start = p.index
        guard start < bytes.count, bytes[start] == UInt8(ascii: "{") else { return nil }
        p.index += 1
        p.skipWhitespace()
        if p.index < bytes.count, bytes[p.index] == UInt8(ascii: "}") {
            p.index += 1
            return ExtFields()
        }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count - start)
        // Four offsets per field, in temporary memory: a field takes at least 4 bytes (`"":1`).
        let maxFields = (bytes.count - start) / 4 + 1
        return try withUnsafeTemporaryAllocation(of: Int32.self, capacity: maxFields * 4) { spans -> ExtFields? in
            var count = 0
            while true {
                p.skipWhitespace()
                guard p.index < bytes.count, bytes[p.index] == UInt8(ascii: "\"") else { p.index = start; return nil }
                let keyStart = out.count
                try appendString(&p, to: &out)
                let keyLength = out.count - keyStart
                p.skipWhitespace()
                guard p.index < bytes.count, bytes[p.index] == UInt8(ascii: ":") else { p.index = start; return nil }
                p.index += 1
                p.skipWhitespace()
                guard p.index < bytes.count else { p.index = start; return nil }
                let valueStart = out.count
                var present = true
                switch bytes[p.index] {
                case UInt8(ascii: "\""): try appendString(&p, to: &out)
                case UInt8(ascii: "{"), UInt8(ascii: "["): p.index = start; return nil
                default:
                    // Numbers, booleans and null: their string form, null dropped (as the general path).
                    if let v = try p.parseValue(depth: 2).stringValue { out.append(contentsOf: v.utf8) } else { present = false }
                }
                if present {
                    guard count < maxFields else { p.index = start; return nil }
                    spans[4 * count] = Int32(keyStart)
                    spans[4 * count + 1] = Int32(keyLength)
                    spans[4 * count + 2] = Int32(valueStart)
                    spans[4 * count + 3] = Int32(out.count - valueStart)
                    count += 1
                }
                p.skipWhitespace()
                guard p.index < bytes.count else { p.index = start; return nil }
                if bytes[p.index] == UInt8(ascii: ",") { p.index += 1; continue }
                if bytes[p.index] == UInt8(ascii: "}") { p.index += 1; break }
                p.index = start
                return nil
            }
            // The builder compacts duplicates in place: it writes at or below the entry it reads.
            return out.withUnsafeBytes { raw in
                var builder = RawExtFieldsBuilder(spans: spans)
                for i in 0..<count {
                    builder.add(key: Int(spans[4 * i]), keyLength: Int(spans[4 * i + 1]), value: Int(spans[4 * i + 2]),
                                valueLength: Int(spans[4 * i + 3]), in: raw)
                }
                return builder.build(raw)
            }
        }
    }

    static func int32(_ p: inout JSONParser, _ key: String) throws -> Int32 {
        let v = try p.parseValue(depth: 1)
        guard let n = v.int32Value else { throw RemotingDecodingError.invalidHeader("\(key) is not an int") }
        return n
    }
}

/// Writes JSON text into memory sized beforehand (see `escapedLength`), with no per-write checks.
struct JSONText {
    let base: UnsafeMutablePointer<UInt8>
    var offset = 0

    init(base: UnsafeMutablePointer<UInt8>) { self.base = base }

    /// The length of a string as a JSON literal, quotes included.
    static func escapedLength(_ string: String) -> Int {
        ExtFields.withUTF8(string) { escapedLength($0) }
    }

    static func escapedLength(_ utf8: UnsafeRawBufferPointer) -> Int {
        var n = utf8.count + 2
        for b in utf8 where b < 0x20 || b == 0x22 || b == 0x5C {
            n += (b == 0x22 || b == 0x5C || b == 0x0A || b == 0x0D || b == 0x09) ? 1 : 5
        }
        return n
    }

    @inline(__always) mutating func byte(_ b: UInt8) {
        base[offset] = b
        offset += 1
    }

    @inline(__always) mutating func raw(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let p = bytes.baseAddress, bytes.count > 0 else { return }
        (base + offset).update(from: p, count: bytes.count)
        offset += bytes.count
    }

    @inline(__always) mutating func write(_ s: StaticString) {
        raw(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    mutating func writeDecimal(_ value: Int32) {
        var v = value.magnitude
        if value < 0 { byte(UInt8(ascii: "-")) }
        var digits = 1
        var t = v
        while t >= 10 { t /= 10; digits += 1 }
        var i = offset + digits - 1
        repeat {
            base[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
            i -= 1
        } while v > 0
        offset += digits
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped (`\u00XX` lower-case).
    mutating func writeString(_ string: String) {
        ExtFields.withUTF8(string) { writeString($0) }
    }

    mutating func writeString(_ bytes: UnsafeRawBufferPointer) {
        byte(UInt8(ascii: "\""))
        do {
            let utf8 = UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)
            var runStart = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                if b >= 0x20 && b != 0x22 && b != 0x5C { continue }
                raw(UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                runStart = i + 1
                byte(0x5C)
                switch b {
                case 0x22, 0x5C: byte(b)
                case 0x0A: byte(UInt8(ascii: "n"))
                case 0x0D: byte(UInt8(ascii: "r"))
                case 0x09: byte(UInt8(ascii: "t"))
                default:
                    let low = b & 0xF
                    byte(UInt8(ascii: "u")); byte(0x30); byte(0x30)
                    byte(0x30 + (b >> 4))
                    byte(low < 10 ? 0x30 + low : 0x61 + low - 10)
                }
            }
            raw(UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        byte(UInt8(ascii: "\""))
    }
}

extension ByteBuffer {
    /// Writes a JSON string literal, escaping quotes, backslashes and every control character.
    /// Unescaped runs are copied in bulk.
    @inlinable
    mutating func writeJSONString(_ string: String) {
        var string = string
        self.writeInteger(UInt8(ascii: "\""))
        string.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                if b >= 0x20 && b != 0x22 && b != 0x5C { continue }
                if i > runStart { self.writeBytes(UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
                runStart = i + 1
                switch b {
                case 0x22: self.writeInteger(UInt16(0x5C22))
                case 0x5C: self.writeInteger(UInt16(0x5C5C))
                case 0x0A: self.writeInteger(UInt16(0x5C6E))
                case 0x0D: self.writeInteger(UInt16(0x5C72))
                case 0x09: self.writeInteger(UInt16(0x5C74))
                default:  // \u00XX, lower-case hex as Java writes it
                    let low = b & 0xF
                    self.writeInteger(UInt32(0x5C75_3030))  // \u00
                    self.writeInteger(UInt16(0x30 + UInt16(b >> 4)) << 8
                                      | UInt16(low < 10 ? 0x30 + low : 0x61 + low - 10))
                }
            }
            if runStart < utf8.count { self.writeBytes(UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        self.writeInteger(UInt8(ascii: "\""))
    }

    /// Writes a decimal integer without allocating a String.
    @inlinable
    mutating func writeDecimal(_ value: Int64) {
        if value == 0 { self.writeInteger(UInt8(ascii: "0")); return }
        var v = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 {
                d[19 - count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                count += 1
            }
            if value < 0 { self.writeInteger(UInt8(ascii: "-")) }
            self.writeBytes(UnsafeRawBufferPointer(rebasing: d[(20 - count)...]))
        }
    }
}
