//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Yams

/// The contents of `plain_acl.yml` (Java `PlainAccessConfig` list plus `globalWhiteRemoteAddresses`),
/// as written; `PlainAclSnapshot` is the checked, ready-to-match form.
public struct PlainAclConfig: Sendable, Equatable {
    /// One `accounts[]` entry; keys as upstream's `AclConstants`.
    public struct Account: Sendable, Equatable {
        public var accessKey: String?
        public var secretKey: String?
        public var whiteRemoteAddress: String?
        public var admin = false
        public var defaultTopicPerm: String?
        public var defaultGroupPerm: String?
        public var topicPerms: [String] = []
        public var groupPerms: [String] = []

        public init(accessKey: String?, secretKey: String?) {
            self.accessKey = accessKey
            self.secretKey = secretKey
        }
    }

    public var globalWhiteRemoteAddresses: [String] = []
    public var accounts: [Account] = []

    public init(globalWhiteRemoteAddresses: [String] = [], accounts: [Account] = []) {
        self.globalWhiteRemoteAddresses = globalWhiteRemoteAddresses
        self.accounts = accounts
    }

    /// Parses YAML text. An empty document is an empty config (upstream: "No data in file").
    /// - Throws: `AclException` naming what is wrong (YAML syntax, a key of the wrong shape).
    public init(yaml: String) throws(AclException) {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch { throw AclException("plain_acl.yml is not valid YAML: \(error)") }
        guard let root else { return }
        if case .scalar(let s) = root, s.string.isEmpty || s.string == "~" || s.string == "null" { return }
        guard let map = root.mapping else { throw AclException("plain_acl.yml: the document must be a mapping") }
        self.globalWhiteRemoteAddresses = try Self.strings(map["globalWhiteRemoteAddresses"], key: "globalWhiteRemoteAddresses")
        if let list = map["accounts"], !Self.isNull(list) {
            guard let items = list.sequence else { throw AclException("plain_acl.yml: accounts must be a list") }
            for (i, item) in items.enumerated() {
                guard let m = item.mapping else { throw AclException("plain_acl.yml: accounts[\(i)] must be a mapping") }
                var a = Account(accessKey: Self.scalar(m["accessKey"]), secretKey: Self.scalar(m["secretKey"]))
                a.whiteRemoteAddress = Self.scalar(m["whiteRemoteAddress"])
                if let admin = Self.scalar(m["admin"]) {
                    switch admin.lowercased() {
                    case "true", "yes", "on": a.admin = true
                    case "false", "no", "off", "": a.admin = false
                    default: throw AclException("plain_acl.yml: accounts[\(i)].admin must be true or false, got \(admin)")
                    }
                }
                a.defaultTopicPerm = Self.scalar(m["defaultTopicPerm"])
                a.defaultGroupPerm = Self.scalar(m["defaultGroupPerm"])
                a.topicPerms = try Self.strings(m["topicPerms"], key: "accounts[\(i)].topicPerms")
                a.groupPerms = try Self.strings(m["groupPerms"], key: "accounts[\(i)].groupPerms")
                accounts.append(a)
            }
        }
    }

    private static func isNull(_ node: Node) -> Bool {
        if case .scalar(let s) = node { return s.string.isEmpty || s.string == "~" || s.string == "null" }
        return false
    }

    /// A scalar's text; nil for a missing or null value (upstream's Java null).
    private static func scalar(_ node: Node?) -> String? {
        guard let node, !isNull(node), case .scalar(let s) = node else { return nil }
        return s.string
    }

    private static func strings(_ node: Node?, key: String) throws(AclException) -> [String] {
        guard let node, !isNull(node) else { return [] }
        guard let items = node.sequence else { throw AclException("plain_acl.yml: \(key) must be a list") }
        var out: [String] = []
        for item in items {
            guard case .scalar(let s) = item else { throw AclException("plain_acl.yml: \(key) must hold strings") }
            if !s.string.isEmpty { out.append(s.string) }
        }
        return out
    }
}
