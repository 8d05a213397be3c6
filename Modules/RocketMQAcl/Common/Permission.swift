//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// Permission bits and the admin-only request codes (Java `acl.common.Permission`).
public enum Permission {
    public static let deny: UInt8 = 1
    public static let any: UInt8 = 1 << 1
    public static let pub: UInt8 = 1 << 2
    public static let sub: UInt8 = 1 << 3

    /// Codes only an `admin: true` account may send (upstream 4.9's `ADMIN_CODE`).
    public static let adminCodes: Set<Int32> = [
        RequestCode.updateAndCreateTopic.rawValue,
        RequestCode.updateBrokerConfig.rawValue,
        RequestCode.deleteTopicInBroker.rawValue,
        RequestCode.updateAndCreateSubscriptionGroup.rawValue,
        RequestCode.deleteSubscriptionGroup.rawValue,
    ]

    public static func needAdminPerm(_ code: Int32) -> Bool { adminCodes.contains(code) }

    /// Whether `owned` grants `needed`; DENY in `owned` refuses everything.
    public static func checkPermission(needed: UInt8, owned: UInt8) -> Bool {
        if owned & deny != 0 { return false }
        if needed & any != 0 { return owned & pub != 0 || owned & sub != 0 }
        return needed & owned != 0
    }

    /// "PUB", "SUB", "PUB|SUB", "SUB|PUB", "DENY"; anything else (or nothing) is DENY, as upstream.
    public static func parse(_ text: String?) -> UInt8 {
        guard let text else { return deny }
        switch text.trimmingChars(" \t") {
        case "PUB": return pub
        case "SUB": return sub
        case "PUB|SUB", "SUB|PUB": return pub | sub
        default: return deny
        }
    }

    /// Whether `text` is one of the spellings `parse` knows (config checking).
    static func isKnown(_ text: String) -> Bool {
        ["PUB", "SUB", "PUB|SUB", "SUB|PUB", "DENY"].contains(text.trimmingChars(" \t"))
    }
}
