//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Java `String.contains`/`startsWith`/`endsWith`: code-unit exact (no Unicode canonical equivalence).
///
/// Matching UTF-8 bytes gives the same answers as matching UTF-16 units for valid strings, because both
/// encode the same scalar sequence and UTF-8 is self-synchronising.
enum UTF8Search {
    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        let t = text.utf8
        let p = prefix.utf8
        guard p.count <= t.count else { return false }
        return t.prefix(p.count).elementsEqual(p)
    }

    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        let t = text.utf8
        let s = suffix.utf8
        guard s.count <= t.count else { return false }
        return t.suffix(s.count).elementsEqual(s)
    }

    static func contains(_ text: String, _ needle: String) -> Bool {
        var text = text
        var needle = needle
        return text.withUTF8 { t in needle.withUTF8 { n in Self.contains(t, n) } }
    }

    private static func contains(_ t: UnsafeBufferPointer<UInt8>, _ n: UnsafeBufferPointer<UInt8>) -> Bool {
        guard n.count <= t.count else { return false }
        guard let first = n.first else { return true }
        var i = 0
        while i + n.count <= t.count {
            if t[i] == first {
                var k = 1
                while k < n.count, t[i + k] == n[k] { k += 1 }
                if k == n.count { return true }
            }
            i += 1
        }
        return false
    }
}
