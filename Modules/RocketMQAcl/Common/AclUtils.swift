//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQRemoting

/// What a signature covers (Java `AclUtils.combineRequestContent`): the values of the ext fields sorted
/// by key (Java `TreeMap` order: UTF-16 code units), without `Signature` and the query flag
/// `_UNIQUE_KEY_QUERY`, joined with nothing between them, then the body's bytes.
public enum AclUtils {
    /// The flag `QueryMessage` adds after signing on some clients; upstream's validator skips it.
    public static let uniqueMessageQueryFlag = "_UNIQUE_KEY_QUERY"

    /// The sorted, joined field values (UTF-8); the body is signed after them, uncopied.
    ///
    /// Works on the fields' bytes without making `String`s (two allocations per request). Keys are
    /// compared byte-wise, which is Java's UTF-16 order for every key below U+E000 (header keys are ASCII).
    public static func joinedFieldValues(_ fields: ExtFields) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        var spans: [Span] = []
        spans.reserveCapacity(fields.count)
        var total = 0
        fields.forEachUTF8 { key, value in
            if equal(key, signatureKey) || equal(key, uniqueKeyQueryKey) { return }
            let keyStart = bytes.count
            bytes.append(contentsOf: key)
            let valueStart = bytes.count
            bytes.append(contentsOf: value)
            spans.append(Span(keyStart: keyStart, keyCount: key.count, valueStart: valueStart, valueCount: value.count))
            total += value.count
        }
        var out: [UInt8] = []
        out.reserveCapacity(total)
        bytes.withUnsafeBufferPointer { b in
            spans.sort { x, y in
                UnsafeBufferPointer(rebasing: b[x.keyStart..<x.keyStart + x.keyCount])
                    .lexicographicallyPrecedes(UnsafeBufferPointer(rebasing: b[y.keyStart..<y.keyStart + y.keyCount]))
            }
            for s in spans { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[s.valueStart..<s.valueStart + s.valueCount])) }
        }
        return out
    }

    private struct Span {
        var keyStart: Int
        var keyCount: Int
        var valueStart: Int
        var valueCount: Int
    }

    private static let signatureKey = Array(SessionCredentials.signatureField.utf8)
    private static let uniqueKeyQueryKey = Array(uniqueMessageQueryFlag.utf8)

    private static func equal(_ a: UnsafeRawBufferPointer, _ b: [UInt8]) -> Bool {
        a.count == b.count && a.elementsEqual(b)
    }

    /// Signs a request's current ext fields and body with `signer`.
    public static func signature(of request: RemotingCommand, with signer: AclSigner) -> String {
        let joined = joinedFieldValues(request.extFields)
        return joined.withUnsafeBytes { head in
            guard let body = request.body, body.readableBytes > 0 else { return signer.signature(head) }
            return body.withUnsafeReadableBytes { signer.signature(head, $0) }
        }
    }

    /// The whole signed content as one array (tests; Java's combined byte[]).
    public static func combineRequestContent(_ request: RemotingCommand) -> [UInt8] {
        joinedFieldValues(request.extFields) + request.bodyBytes
    }
}
