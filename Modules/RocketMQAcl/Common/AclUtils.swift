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
    public static func joinedFieldValues(_ fields: ExtFields) -> [UInt8] {
        var pairs: [(key: String, value: String)] = []
        pairs.reserveCapacity(fields.count)
        for e in fields where e.key != SessionCredentials.signatureField && e.key != uniqueMessageQueryFlag {
            pairs.append(e)
        }
        pairs.sort { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }
        var out: [UInt8] = []
        out.reserveCapacity(pairs.reduce(0) { $0 + $1.value.utf8.count })
        for p in pairs { out.append(contentsOf: p.value.utf8) }
        return out
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
