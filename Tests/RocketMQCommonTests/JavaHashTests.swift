//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import Testing

/// `String.hashCode()` as the JVM computes it: UTF-16 units, `31 * h + unit`, wrapping 32-bit.
@Suite("JavaHash")
struct JavaHashTests {
    /// Values of Java's `"…".hashCode()`.
    static let known: [(String, Int32)] = [
        ("", 0),
        ("TagA", 2_598_919),
        ("a", 97),
        ("TagA||TagB", 1_789_476_431),
        ("aaaaaaaaaaaaaaaaaaaa", 1_542_361_408),  // wraps several times
        ("polygenelubricants", Int32.min),  // the well-known Integer.MIN_VALUE string
        ("女", 22_899),  // one BMP unit, U+5973
        ("美女", 1_035_173),
        ("🚀", 1_773_027),  // surrogate pair D83D DE80
        ("hello 🚀 世界", -1_332_859_771),
        ("Hello RocketMQ 🚀🚀", -1_617_359_968),
    ]

    @Test("String.hashCode", arguments: known)
    func matchesJava(_ text: String, _ hash: Int32) {
        #expect(JavaHash.hashCode(text) == hash)
        #expect(JavaHash.hashCode(utf8: Array(text.utf8)) == hash)
        #expect(JavaHash.hashCode(utf8: text.utf8) == hash)
    }

    @Test func nonContiguousStringTakesTheUTF16Path() {
        // A bridged-like, non-contiguous view still hashes by UTF-16 units.
        let text = String("TagA🚀".reversed().reversed())
        #expect(JavaHash.hashCode(text) == 31 &* (31 &* JavaHash.hashCode("TagA") &+ 0xD83D) &+ 0xDE80)
    }
}
