//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore

/// Message ids: the broker's offset id (§7.1) and the client's `UNIQ_KEY` (§7.2).
public enum MessageID {
    static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    public static func hex(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func unhex(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 2)
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x41 + 10
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    /// Store-host address + int32 port + int64 commit-log offset, uppercase hex (32 or 56 chars).
    public static func offsetMessageID(storeHost: SocketAddressBytes, commitLogOffset: Int64) -> String {
        var bytes = storeHost.address
        bytes.reserveCapacity(bytes.count + 12)
        let port = UInt32(bitPattern: storeHost.port)
        bytes.append(contentsOf: [UInt8(port >> 24), UInt8(port >> 16 & 0xFF), UInt8(port >> 8 & 0xFF), UInt8(port & 0xFF)])
        let off = UInt64(bitPattern: commitLogOffset)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(off >> UInt64(shift) & 0xFF)) }
        return hex(bytes)
    }

    /// Decodes an offset id into its store host and commit-log offset (nil when malformed).
    public static func decodeOffsetMessageID(_ id: String) -> (storeHost: SocketAddressBytes, commitLogOffset: Int64)? {
        guard let bytes = unhex(id), bytes.count == 16 || bytes.count == 28 else { return nil }
        let ipLength = bytes.count - 12
        let address = Array(bytes[0..<ipLength])
        var port: UInt32 = 0
        for b in bytes[ipLength..<ipLength + 4] { port = port << 8 | UInt32(b) }
        var offset: UInt64 = 0
        for b in bytes[(ipLength + 4)...] { offset = offset << 8 | UInt64(b) }
        return (SocketAddressBytes(address: address, port: Int32(bitPattern: port)), Int64(bitPattern: offset))
    }
}
