//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Java's string-to-number rules, because the SQL92 filter must accept exactly the property values a Java
/// broker accepts.
///
/// - `Integer.valueOf` / `Long.valueOf`: optional `+`/`-`, then decimal digits (any Unicode `Nd` digit in the
///   BMP, as `Character.digit` allows), no whitespace, overflow is an error.
/// - `Double.valueOf`: surrounding characters ≤ U+0020 trimmed, optional sign, `NaN`, `Infinity`, decimal with
///   optional fraction and exponent, optional `f`/`F`/`d`/`D` suffix, or a hex float `0x1.8p1`.
/// - `Boolean.valueOf`: `true` in any case is true, everything else false.
///
/// Fast paths stay on the UTF-8 bytes and never allocate.
enum JavaNumbers {
    @inline(__always)
    static func parseInt(_ text: String) -> Int32? {
        guard let value = parseLong(text, min: Int64(Int32.min), max: Int64(Int32.max)) else { return nil }
        return Int32(truncatingIfNeeded: value)
    }

    @inline(__always)
    static func parseLong(_ text: String) -> Int64? {
        parseLong(text, min: Int64.min, max: Int64.max)
    }

    @inline(__always)
    static func parseLong(_ text: String, min: Int64, max: Int64) -> Int64? {
        var copy = text
        let result: Int64?? = copy.withUTF8 { bytes in parseASCIILong(bytes, min: min, max: max) }
        if let fast = result { return fast }
        return parseUnicodeLong(text, min: min, max: max)
    }

    /// ASCII fast path: `.some(nil)` means "not a number", `nil` means "non-ASCII, try the slow path".
    @inline(__always)
    private static func parseASCIILong(_ bytes: UnsafeBufferPointer<UInt8>, min: Int64, max: Int64) -> Int64?? {
        var i = 0
        let n = bytes.count
        guard n > 0 else { return .some(nil) }
        var negative = false
        if bytes[0] == 0x2D || bytes[0] == 0x2B {
            negative = bytes[0] == 0x2D
            i = 1
            guard n > 1 else { return .some(nil) }
        }
        // Accumulate negatively, as Java does, so MIN_VALUE parses.
        let limit = negative ? min : -max
        var value: Int64 = 0
        while i < n {
            let b = bytes[i]
            if b >= 0x80 { return nil }
            guard b >= 0x30, b <= 0x39 else { return .some(nil) }
            let digit = Int64(b &- 0x30)
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.subtractingReportingOverflow(digit)
            guard !o1, !o2, s >= limit else { return .some(nil) }
            value = s
            i += 1
        }
        return .some(negative ? value : -value)
    }

    private static func parseUnicodeLong(_ text: String, min: Int64, max: Int64) -> Int64? {
        var scalars = text.unicodeScalars[...]
        var negative = false
        if let first = scalars.first, first == "-" || first == "+" {
            negative = first == "-"
            scalars.removeFirst()
        }
        guard !scalars.isEmpty else { return nil }
        let limit = negative ? min : -max
        var value: Int64 = 0
        for scalar in scalars {
            // Character.digit(char, 10): decimal digits of the BMP only (a char cannot hold more).
            guard scalar.value <= 0xFFFF, scalar.properties.generalCategory == .decimalNumber,
                let numeric = scalar.properties.numericValue, numeric >= 0, numeric <= 9
            else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.subtractingReportingOverflow(Int64(numeric))
            guard !o1, !o2, s >= limit else { return nil }
            value = s
        }
        return negative ? value : -value
    }

    /// Java `Double.valueOf(String)`; `nil` where Java throws `NumberFormatException`.
    static func parseDouble(_ text: String) -> Double? {
        var result: Double? = nil
        var copy = text
        copy.withUTF8 { result = parseDouble(bytes: $0) }
        return result
    }

    private static func parseDouble(bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] <= 0x20 { start += 1 }
        while end > start, bytes[end - 1] <= 0x20 { end -= 1 }
        guard start < end else { return nil }
        var i = start
        var negative = false
        if bytes[i] == 0x2B || bytes[i] == 0x2D {
            negative = bytes[i] == 0x2D
            i += 1
        }
        let body = UnsafeBufferPointer(rebasing: bytes[i..<end])
        if Self.equals(body, "NaN") { return .nan }
        if Self.equals(body, "Infinity") { return negative ? -.infinity : .infinity }
        var j = 0
        let n = body.count
        if n > 2, body[0] == 0x30, body[1] == 0x78 || body[1] == 0x58 {
            return Self.parseHex(body, negative: negative)
        }
        var digits = 0
        while j < n, Self.isDigit(body[j]) { j += 1; digits += 1 }
        if j < n, body[j] == 0x2E {
            j += 1
            while j < n, Self.isDigit(body[j]) { j += 1; digits += 1 }
        }
        guard digits > 0 else { return nil }
        if j < n, body[j] == 0x65 || body[j] == 0x45 {
            j += 1
            if j < n, body[j] == 0x2B || body[j] == 0x2D { j += 1 }
            var expDigits = 0
            while j < n, Self.isDigit(body[j]) { j += 1; expDigits += 1 }
            guard expDigits > 0 else { return nil }
        }
        let numberEnd = j
        if j < n, Self.isTypeSuffix(body[j]) { j += 1 }
        guard j == n else { return nil }
        guard let value = Double(Substring(decoding: UnsafeBufferPointer(rebasing: body[0..<numberEnd]), as: UTF8.self))
        else { return nil }
        return negative ? -value : value
    }

    /// `0x<hex>[.<hex>]p[+-]<dec>[fFdD]` (Java requires the binary exponent).
    private static func parseHex(_ body: UnsafeBufferPointer<UInt8>, negative: Bool) -> Double? {
        var j = 2
        let n = body.count
        var digits = 0
        while j < n, Self.isHexDigit(body[j]) { j += 1; digits += 1 }
        if j < n, body[j] == 0x2E {
            j += 1
            while j < n, Self.isHexDigit(body[j]) { j += 1; digits += 1 }
        }
        guard digits > 0, j < n, body[j] == 0x70 || body[j] == 0x50 else { return nil }
        j += 1
        if j < n, body[j] == 0x2B || body[j] == 0x2D { j += 1 }
        var expDigits = 0
        while j < n, Self.isDigit(body[j]) { j += 1; expDigits += 1 }
        guard expDigits > 0 else { return nil }
        let numberEnd = j
        if j < n, Self.isTypeSuffix(body[j]) { j += 1 }
        guard j == n else { return nil }
        guard let value = Double(Substring(decoding: UnsafeBufferPointer(rebasing: body[0..<numberEnd]), as: UTF8.self))
        else { return nil }
        return negative ? -value : value
    }

    /// Java `Boolean.valueOf(String)`: `"true"` ignoring case.
    @inline(__always)
    static func parseBoolean(_ text: String) -> Bool {
        let u = text.utf8
        guard u.count == 4 else { return false }
        var it = u.makeIterator()
        for expected: UInt8 in [0x74, 0x72, 0x75, 0x65] {
            guard let b = it.next(), b | 0x20 == expected else { return false }
        }
        return true
    }

    /// Java `Double.compare`: a total order where `-0.0 < 0.0` and NaN equals itself and is above everything.
    @inline(__always)
    static func compare(_ a: Double, _ b: Double) -> Int {
        if a < b { return -1 }
        if a > b { return 1 }
        let x = a.isNaN ? Int64(0x7ff8_0000_0000_0000) : Int64(bitPattern: a.bitPattern)
        let y = b.isNaN ? Int64(0x7ff8_0000_0000_0000) : Int64(bitPattern: b.bitPattern)
        return x == y ? 0 : (x < y ? -1 : 1)
    }

    /// Java `String.compareTo`: UTF-16 code-unit order (its sign is what callers use).
    static func compare(_ a: String, _ b: String) -> Int {
        if exactlyEqual(a, b) { return 0 }
        var i1 = a.utf16.makeIterator()
        var i2 = b.utf16.makeIterator()
        while true {
            switch (i1.next(), i2.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?): if x != y { return x < y ? -1 : 1 }
            }
        }
    }

    /// Roughly Java's `Double.toString`, for messages (`1.0`, `2.5E-10`).
    static func doubleText(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e7 {
            let text = "\(value)"
            return text.contains(".") || text.contains("e") ? text : text + ".0"
        }
        // Swift prints 1e+20 / 5e-324; Java prints 1.0E20 / 4.9E-324.
        var text = "\(value)".replacingOccurrencesOfE()
        if !text.contains(".") , let e = text.firstIndex(of: "E") { text.insert(contentsOf: ".0", at: e) }
        return text
    }

    @inline(__always) private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) private static func isHexDigit(_ b: UInt8) -> Bool {
        isDigit(b) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x66)
    }
    @inline(__always) private static func isTypeSuffix(_ b: UInt8) -> Bool {
        b == 0x66 || b == 0x46 || b == 0x64 || b == 0x44
    }

    private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        let p = text.utf8Start
        for k in 0..<bytes.count where bytes[k] != p[k] { return false }
        return true
    }
}

extension String {
    fileprivate func replacingOccurrencesOfE() -> String {
        var out = ""
        var previousE = false
        for c in self {
            if c == "e" { out.append("E"); previousE = true; continue }
            if previousE && c == "+" { previousE = false; continue }
            previousE = false
            out.append(c)
        }
        return out
    }
}
