//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Java's `String.hashCode` over UTF-16 code units with wrapping 32-bit arithmetic.
///
/// RocketMQ uses it for tag codes in consume-queue units and for index-file key hashes, so it
/// must match the JVM bit for bit (checked against Java 17 for ASCII, CJK and emoji).
public enum JavaHash {
    @inlinable
    public static func hashCode(_ string: String) -> Int32 {
        // ASCII (tags, keys, UNIQ_KEY ids): one UTF-16 unit per byte, hashed straight from the UTF-8.
        if let ascii = string.utf8.withContiguousStorageIfAvailable({ bytes -> Int32? in
            var h: Int32 = 0
            for b in bytes {
                guard b < 0x80 else { return nil }
                h = 31 &* h &+ Int32(b)
            }
            return h
        }), let h = ascii {
            return h
        }
        var h: Int32 = 0
        for unit in string.utf16 {
            h = 31 &* h &+ Int32(unit)
        }
        return h
    }

    /// Same hash over UTF-8 bytes decoded on the fly, avoiding a `String` allocation on hot paths.
    @inlinable
    public static func hashCode<C: Collection>(utf8 bytes: C) -> Int32 where C.Element == UInt8 {
        var h: Int32 = 0
        var iterator = bytes.makeIterator()
        var utf8Decoder = UTF8()
        while true {
            switch utf8Decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar.value > 0xFFFF {
                    let v = scalar.value - 0x10000
                    h = 31 &* h &+ Int32(0xD800 + (v >> 10))
                    h = 31 &* h &+ Int32(0xDC00 + (v & 0x3FF))
                } else {
                    h = 31 &* h &+ Int32(scalar.value)
                }
            case .emptyInput:
                return h
            case .error:
                h = 31 &* h &+ 0xFFFD
            }
        }
    }
}
