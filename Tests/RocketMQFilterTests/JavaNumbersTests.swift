//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Testing

@testable import RocketMQFilter

@Suite("Java number parsing")
struct JavaNumbersTests {
    static let ints: [(String, Int32?)] = [
        ("0", 0), ("7", 7), ("-7", -7), ("+7", 7), ("007", 7), ("2147483647", .max), ("-2147483648", .min),
        ("2147483648", nil), ("-2147483649", nil), ("", nil), ("-", nil), ("+", nil), (" 1", nil), ("1 ", nil),
        ("1.0", nil), ("1e3", nil), ("0x10", nil), ("\u{665}\u{660}", 50), ("１２", 12), ("1_000", nil),
    ]

    @Test("Integer.valueOf", arguments: ints)
    func parseInt(_ text: String, _ value: Int32?) {
        #expect(JavaNumbers.parseInt(text) == value)
    }

    static let longs: [(String, Int64?)] = [
        ("9223372036854775807", .max), ("-9223372036854775808", .min), ("9223372036854775808", nil),
        ("5000000000", 5_000_000_000), ("-0", 0), ("12L", nil),
    ]

    @Test("Long.valueOf", arguments: longs)
    func parseLong(_ text: String, _ value: Int64?) {
        #expect(JavaNumbers.parseLong(text) == value)
    }

    static let doubles: [(String, Double?)] = [
        ("1", 1), ("1.5", 1.5), ("-1.5", -1.5), ("+.5", 0.5), ("5.", 5), (" 2 ", 2), ("\t3\n", 3), ("2f", 2),
        ("2D", 2), ("1e3", 1000), ("1E-2", 0.01), ("1e+2d", 100), ("Infinity", .infinity),
        ("-Infinity", -.infinity), ("0x10p0", 16), ("0x1.8p1", 3), ("1e400", .infinity), ("", nil), ("e3", nil),
        ("1e", nil), ("1e+", nil), (".", nil), ("inf", nil), ("nan", nil), ("1.5.2", nil), ("0x10", nil),
        ("1,5", nil), ("١", nil), ("2ff", nil),
    ]

    @Test("Double.valueOf", arguments: doubles)
    func parseDouble(_ text: String, _ value: Double?) {
        #expect(JavaNumbers.parseDouble(text) == value)
    }

    @Test func nanAndBooleans() {
        #expect(JavaNumbers.parseDouble("NaN")?.isNaN == true)
        #expect(JavaNumbers.parseDouble("-NaN")?.isNaN == true)
        #expect(JavaNumbers.parseBoolean("true") && JavaNumbers.parseBoolean("TrUe"))
        #expect(!JavaNumbers.parseBoolean("yes") && !JavaNumbers.parseBoolean("true ") && !JavaNumbers.parseBoolean(""))
    }

    @Test func doubleCompareIsJavaTotalOrder() {
        #expect(JavaNumbers.compare(-0.0, 0.0) == -1)
        #expect(JavaNumbers.compare(Double.nan, .infinity) == 1)
        #expect(JavaNumbers.compare(Double.nan, .nan) == 0)
        #expect(JavaNumbers.compare(1, 2) == -1)
        #expect(JavaNumbers.compare("a", "b") == -1 && JavaNumbers.compare("b", "a") == 1)
        #expect(JavaNumbers.compare("\u{FF61}", "😀") == 1)  // UTF-16 order: FF61 > D83D (scalar order is opposite)
    }
}
