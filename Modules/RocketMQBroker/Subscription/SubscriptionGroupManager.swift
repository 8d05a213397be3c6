//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import RocketMQRemoting
import Synchronization

/// Consumer groups' settings (Java `SubscriptionGroupManager`), persisted to `subscriptionGroup.json`.
public final class SubscriptionGroupManager: Sendable {
    private let state = Mutex(SubscriptionGroupWrapper(subscriptionGroupTable: [:], dataVersion: DataVersion()))
    let persistence: ConfigPersistence

    init(path: String, logger: Logger) { self.persistence = ConfigPersistence(path: path, logger: logger) }

    func load() {
        if let w = persistence.load({ try SubscriptionGroupWrapper(json: $0) }) { state.withLock { $0 = w } }
        let builtins = [MixAll.toolsConsumerGroup, MixAll.defaultConsumerGroup, MixAll.selfTestConsumerGroup,
                        "CID_ONSAPI_PULL", "CID_ONSAPI_PERMISSION", "CID_ONSAPI_OWNER", "CID_ONS-HTTP-PROXY",
                        MixAll.cidRMQSysPrefix + "TRANS"]
        state.withLock { s in
            for g in builtins where s.subscriptionGroupTable[g] == nil {
                s.subscriptionGroupTable[g] = SubscriptionGroupConfig(groupName: g)
            }
        }
    }

    public func find(_ group: String) -> SubscriptionGroupConfig? { state.withLock { $0.subscriptionGroupTable[group] } }

    /// Finds a group, creating it with defaults when auto-creation is on.
    func findOrCreate(_ group: String, autoCreate: Bool) -> SubscriptionGroupConfig? {
        let (config, created) = state.withLock { s -> (SubscriptionGroupConfig?, Bool) in
            if let c = s.subscriptionGroupTable[group] { return (c, false) }
            guard autoCreate || group.hasPrefix(MixAll.cidRMQSysPrefix) else { return (nil, false) }
            let c = SubscriptionGroupConfig(groupName: group)
            s.subscriptionGroupTable[group] = c
            s.dataVersion.nextVersion()
            return (c, true)
        }
        if created { persist() }
        return config
    }

    public func update(_ config: SubscriptionGroupConfig) {
        state.withLock {
            $0.subscriptionGroupTable[config.groupName] = config
            $0.dataVersion.nextVersion()
        }
        persist()
    }

    public func delete(_ group: String) -> Bool {
        let removed = state.withLock { s -> Bool in
            guard s.subscriptionGroupTable.removeValue(forKey: group) != nil else { return false }
            s.dataVersion.nextVersion()
            return true
        }
        if removed { persist() }
        return removed
    }

    public var wrapper: SubscriptionGroupWrapper { state.withLock { $0 } }

    /// A slave takes its master's groups when their version differs (Java `syncSubscriptionGroupConfig`).
    @discardableResult
    func replaceFromMaster(_ wrapper: SubscriptionGroupWrapper) -> Bool {
        let changed = state.withLock { s -> Bool in
            guard s.dataVersion != wrapper.dataVersion else { return false }
            s = wrapper
            return true
        }
        if changed { persist() }
        return changed
    }

    func persist() { persistence.save(wrapper.toJSON()) }
}
