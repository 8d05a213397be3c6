//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import RocketMQRemoting
import Synchronization

/// Holds the plain ACL loaded from one file and decides requests (Java `PlainPermissionManager`).
///
/// The checked config is an immutable `PlainAclSnapshot` swapped under a `Mutex`; a request takes the
/// current one (a retain) and decides without a lock. `reloadIfChanged` re-reads the file when its bytes
/// change (upstream's `AclFileWatchService` compares an MD5 every 5 s); a file that does not parse or
/// check keeps the last good snapshot and logs why.
public final class PlainPermissionManager: Sendable {
    /// Upstream's watch interval.
    public static let defaultWatchInterval: Duration = .seconds(5)

    public let path: String
    let logger: Logger
    private let state: Mutex<(snapshot: PlainAclSnapshot, fileBytes: [UInt8]?)>

    /// Loads `path` once. A missing or empty file gives an empty ACL (only white-listed peers pass),
    /// as upstream; a file that does not parse or check throws.
    public init(path: String, logger: Logger) throws(AclException) {
        self.path = path
        self.logger = logger
        let bytes = Self.read(path)
        let snapshot: PlainAclSnapshot
        if let bytes {
            snapshot = try Self.build(bytes)
        } else {
            logger.warning("ACL file not found; no account can pass until it exists", metadata: ["path": "\(path)"])
            snapshot = .empty
        }
        self.state = Mutex((snapshot, bytes))
        logger.info("ACL loaded", metadata: ["path": "\(path)", "accounts": "\(snapshot.accounts.count)",
                                              "globalWhiteRemoteAddresses": "\(snapshot.globalWhiteRemoteAddresses.count)"])
    }

    /// The config in force.
    public var snapshot: PlainAclSnapshot { state.withLock { $0.snapshot } }

    /// The ACL file's path: `ROCKETMQ_ACL_PLAIN_FILE` (Java `-Drocketmq.acl.plain.file`, default
    /// `conf/plain_acl.yml`) under `rocketmqHome`, or as given when absolute.
    public static func aclFilePath(rocketmqHome: String, override: String? = getenvString("ROCKETMQ_ACL_PLAIN_FILE")) -> String {
        let relative = override.flatMap { $0.isEmpty ? nil : $0 } ?? "conf/plain_acl.yml"
        if relative.hasPrefix("/") { return relative }
        let home = rocketmqHome.isEmpty ? "." : rocketmqHome
        return home.hasSuffix("/") ? home + relative : home + "/" + relative
    }

    /// Re-reads the file when its contents changed. Returns true when a new config took effect.
    @discardableResult
    public func reloadIfChanged() -> Bool {
        let bytes = Self.read(path)
        let previous = state.withLock { $0.fileBytes }
        guard bytes != previous else { return false }
        guard let bytes else {
            logger.error("ACL file is gone; keeping the last loaded config", metadata: ["path": "\(path)"])
            state.withLock { $0.fileBytes = nil }
            return false
        }
        do {
            let snapshot = try Self.build(bytes)
            if snapshot.accounts.isEmpty && snapshot.globalWhiteRemoteAddresses.isEmpty && previous != nil
                && bytes.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 })
            {
                // Upstream skips an empty file on reload ("No data in ..."): a file being rewritten.
                logger.warning("ACL file is empty; keeping the last loaded config", metadata: ["path": "\(path)"])
                state.withLock { $0.fileBytes = bytes }
                return false
            }
            state.withLock { $0 = (snapshot, bytes) }
            logger.info("ACL reloaded", metadata: ["path": "\(path)", "accounts": "\(snapshot.accounts.count)"])
            return true
        } catch {
            state.withLock { $0.fileBytes = bytes }
            logger.error("ACL file rejected; keeping the last loaded config",
                         metadata: ["path": "\(path)", "error": "\(error.message)"])
            return false
        }
    }

    /// Polls the file until the task is cancelled (the broker runs this as one of its tasks).
    public func watch(interval: Duration = PlainPermissionManager.defaultWatchInterval) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            reloadIfChanged()
        }
    }

    /// Decides one request (Java `PlainPermissionManager.validate`), in upstream's order: a global
    /// white address passes; then the access key must be known; the account's white address passes;
    /// then the signature must match, and then each resource's perm.
    /// - Throws: `AclException` with upstream's message.
    public func validate(_ resource: PlainAccessResource, content: (AclSigner) -> String) throws(AclException) {
        let snapshot = self.snapshot
        for white in snapshot.globalWhiteRemoteAddresses where white.matches(resource.remoteAddress) { return }
        guard let accessKey = resource.accessKey else { throw AclException("No accessKey is configured") }
        guard let owned = snapshot.accounts[accessKey] else { throw AclException("No acl config for \(accessKey)") }
        if owned.whiteRemoteAddress.matches(resource.remoteAddress) { return }
        guard let signature = resource.signature, Self.constantTimeEqual(content(owned.signer), signature) else {
            throw AclException("Check signature failed for accessKey=\(accessKey)")
        }
        // Trace records may always be written (upstream skips the check for a PUB on the trace topic).
        if resource.perm(for: TopicValidator.rmqSysTraceTopic) == Permission.pub { return }
        try Self.checkPerm(resource, owned)
    }

    /// Java `checkPerm`: the admin-only codes, then each needed resource against the account's perms
    /// (its listed perm, else its default topic or group perm).
    static func checkPerm(_ needed: PlainAccessResource, _ owned: PlainAclSnapshot.Account) throws(AclException) {
        if Permission.needAdminPerm(needed.requestCode) && !owned.admin {
            throw AclException("Need admin permission for request code=\(needed.requestCode), but accessKey=\(owned.accessKey) is not")
        }
        if needed.resourcePerms.isEmpty { return }
        if owned.resourcePerms == nil && owned.admin { return }
        for (resource, neededPerm) in needed.resourcePerms {
            let isGroup = MixAll.isRetryTopic(resource)
            let ownedPerm = owned.resourcePerms?[resource] ?? (isGroup ? owned.defaultGroupPerm : owned.defaultTopicPerm)
            if !Permission.checkPermission(needed: neededPerm, owned: ownedPerm) {
                throw AclException("No default permission for \(PlainAccessResource.printable(resource, isGroup: isGroup))")
            }
        }
    }

    /// Compares without stopping at the first difference, so timing tells nothing about the signature.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        var diff: UInt8 = 0
        for (x, y) in zip(a.utf8, b.utf8) { diff |= x ^ y }
        return diff == 0
    }

    private static func build(_ bytes: [UInt8]) throws(AclException) -> PlainAclSnapshot {
        try PlainAclSnapshot(config: PlainAclConfig(yaml: String(decoding: bytes, as: UTF8.self)))
    }

    /// The file's bytes, or nil when it cannot be read.
    static func read(_ path: String) -> [UInt8]? { FileIO.readBytes(path) }
}
