//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Renders values the way upstream's Java `toString` does, so printed messages look familiar.
public enum JavaFormat {
    /// `java.util.Arrays.toString(byte[])`: signed bytes, `[72, 101, -28]`.
    public static func byteArray(_ bytes: [UInt8]) -> String {
        var out = "["
        out.reserveCapacity(bytes.count * 4 + 2)
        for (i, b) in bytes.enumerated() {
            if i > 0 { out += ", " }
            out += String(Int8(bitPattern: b))
        }
        return out + "]"
    }
}
