//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `yyyyMMddHHmmss` in local time, the format of `consumeTimestamp` (Java `UtilAll.YYYYMMDDHHMMSS`).
public enum ConsumeTimestamp {
    public static func format(millis: Int64) -> String {
        var t = time_t(millis / 1000)
        var value = tm()
        localtime_r(&t, &value)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return pad(value.tm_year + 1900, 4) + pad(value.tm_mon + 1, 2) + pad(value.tm_mday, 2)
            + pad(value.tm_hour, 2) + pad(value.tm_min, 2) + pad(value.tm_sec, 2)
    }

    /// Milliseconds since the epoch, or nil when the text is not 14 digits.
    public static func parse(_ text: String) -> Int64? {
        let digits = Array(text.utf8)
        guard digits.count == 14, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        func field(_ start: Int, _ length: Int) -> Int32 {
            var v: Int32 = 0
            for i in start..<start + length { v = v * 10 + Int32(digits[i] - 48) }
            return v
        }
        var value = tm()
        value.tm_year = field(0, 4) - 1900
        value.tm_mon = field(4, 2) - 1
        value.tm_mday = field(6, 2)
        value.tm_hour = field(8, 2)
        value.tm_min = field(10, 2)
        value.tm_sec = field(12, 2)
        value.tm_isdst = -1
        let seconds = mktime(&value)
        guard seconds != -1 else { return nil }
        return Int64(seconds) * 1000
    }
}
