//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Crypto
import Foundation

/// Request signatures: Base64(HmacSHA1(secretKey, content)) (Java `AclSigner.calSignature`, the only
/// algorithm 4.x uses). Holds the secret's UTF-8 bytes; swift-crypto 3's `SymmetricKey` is not
/// `Sendable`, so the key is made per signature (one small allocation).
public struct AclSigner: Sendable {
    private let keyBytes: [UInt8]

    public init(secretKey: String) {
        self.keyBytes = Array(secretKey.utf8)
    }

    /// Signs content given in parts (the joined field values, then the body), without joining them.
    public func signature(_ parts: UnsafeRawBufferPointer...) -> String {
        var mac = HMAC<Insecure.SHA1>(key: SymmetricKey(data: keyBytes))
        for part in parts where part.count > 0 { mac.update(data: part) }
        return mac.finalize().withUnsafeBytes { Base64.encode($0) }
    }

    /// Signs bytes (tests and small callers).
    public func signature(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { signature($0) }
    }

    /// One-shot form of Java's `AclUtils.calSignature(data, secretKey)`.
    public static func calSignature(_ data: [UInt8], secretKey: String) -> String {
        AclSigner(secretKey: secretKey).signature(data)
    }
}

/// Standard Base64 with padding (what commons-codec `Base64.encodeBase64` writes).
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func encode(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { encode($0) } }
}
