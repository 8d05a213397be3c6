//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// A loaded, checked ACL: what `PlainPermissionManager` matches requests against. Immutable; a reload
/// builds a new one and swaps it in whole, so a request sees either the old or the new config.
public struct PlainAclSnapshot: Sendable {
    /// One account ready to check (Java `PlainAccessResource` built by `buildPlainAccessResource`).
    public struct Account: Sendable {
        public let accessKey: String
        let signer: AclSigner
        public let whiteRemoteAddress: RemoteAddressStrategy
        public let admin: Bool
        public let defaultTopicPerm: UInt8
        public let defaultGroupPerm: UInt8
        /// Topic → perm and `%RETRY%group` → perm; nil when the account lists none (upstream's null map,
        /// which lets an admin through without looking at defaults).
        public let resourcePerms: [String: UInt8]?
    }

    public let globalWhiteRemoteAddresses: [RemoteAddressStrategy]
    public let accounts: [String: Account]

    public static let empty = PlainAclSnapshot(globalWhiteRemoteAddresses: [], accounts: [:])

    init(globalWhiteRemoteAddresses: [RemoteAddressStrategy], accounts: [String: Account]) {
        self.globalWhiteRemoteAddresses = globalWhiteRemoteAddresses
        self.accounts = accounts
    }

    /// Checks a config as upstream's `load` does and builds the snapshot.
    /// - Throws: `AclException` with upstream's message for the first bad account or pattern.
    public init(config: PlainAclConfig) throws(AclException) {
        var white: [RemoteAddressStrategy] = []
        for pattern in config.globalWhiteRemoteAddresses { white.append(try RemoteAddressStrategy(pattern: pattern)) }
        var accounts: [String: Account] = [:]
        for a in config.accounts {
            guard let ak = a.accessKey, let sk = a.secretKey, ak.count > 6, sk.count > 6 else {
                throw AclException("The accessKey=\(a.accessKey ?? "null") and secretKey=\(a.secretKey == nil ? "null" : "***") cannot be null and length should longer than 6")
            }
            var perms: [String: UInt8] = [:]
            for (isTopic, list) in [(false, a.groupPerms), (true, a.topicPerms)] {
                for entry in list {
                    let items = entry.split(separator: "=")
                    guard items.count == 2 else {
                        throw AclException("Parse resource permission failed for \(isTopic ? "topic" : "group"):\(entry)")
                    }
                    let name = items[0].trimmingChars(" \t")
                    perms[isTopic ? name : MixAll.retryTopic(name)] = Permission.parse(items[1].trimmingChars(" \t"))
                }
            }
            // A later duplicate replaces the earlier account, as upstream's HashMap.put does.
            accounts[ak] = Account(
                accessKey: ak, signer: AclSigner(secretKey: sk),
                whiteRemoteAddress: try RemoteAddressStrategy(pattern: a.whiteRemoteAddress), admin: a.admin,
                defaultTopicPerm: Permission.parse(a.defaultTopicPerm),
                defaultGroupPerm: Permission.parse(a.defaultGroupPerm), resourcePerms: perms.isEmpty ? nil : perms)
        }
        self.init(globalWhiteRemoteAddresses: white, accounts: accounts)
    }
}
