//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import RocketMQRemoting
import Synchronization

/// The broker's topics (Java `TopicConfigManager`), persisted to `config/topics.json`.
///
/// Reads take a copy of the table (copy-on-write) so the send path never waits on admin changes.
public final class TopicConfigManager: Sendable {
    struct State: Sendable {
        var table: [String: TopicConfig] = [:]
        var dataVersion = DataVersion()
        /// Metrics handles by topic, made on a topic's first send (only when metrics are on).
        var inMetrics: [String: TopicInMetrics] = [:]
    }
    private let state = Mutex(State())
    let persistence: ConfigPersistence
    let brokerConfig: @Sendable () -> BrokerConfig
    /// Whether ``selectForSend(_:)`` hands out metrics handles (metricsExporterType != DISABLE).
    let countsIncoming: Bool

    init(path: String, logger: Logger, brokerConfig: @escaping @Sendable () -> BrokerConfig,
         countsIncoming: Bool = false) {
        self.persistence = ConfigPersistence(path: path, logger: logger)
        self.brokerConfig = brokerConfig
        self.countsIncoming = countsIncoming
    }

    /// Loads topics.json and creates the built-in topics.
    func load() {
        if let wrapper = persistence.load({ try TopicConfigSerializeWrapper(json: $0) }) {
            state.withLock {
                $0.table = wrapper.topicConfigTable
                $0.dataVersion = wrapper.dataVersion
            }
        }
        let c = brokerConfig()
        var builtins: [TopicConfig] = [
            TopicConfig(topicName: TopicValidator.rmqSysSelfTestTopic, readQueueNums: 1, writeQueueNums: 1),
            TopicConfig(topicName: TopicValidator.rmqSysBenchmarkTopic, readQueueNums: 1024, writeQueueNums: 1024),
            TopicConfig(topicName: TopicValidator.rmqSysOffsetMovedEvent, readQueueNums: 1, writeQueueNums: 1),
            TopicConfig(topicName: TopicValidator.rmqSysScheduleTopic, readQueueNums: 18, writeQueueNums: 18),
            TopicConfig(topicName: c.brokerClusterName + "_" + MixAll.replyTopicPostfix, readQueueNums: 1, writeQueueNums: 1),
            TopicConfig(topicName: c.brokerClusterName, readQueueNums: 16, writeQueueNums: 16,
                        perm: PermName.inherit | (c.clusterTopicEnable ? PermName.read | PermName.write : 0)),
            TopicConfig(topicName: c.brokerName, readQueueNums: 1, writeQueueNums: 1,
                        perm: PermName.inherit | (c.brokerTopicEnable ? PermName.read | PermName.write : 0)),
        ]
        if c.traceTopicEnable, TopicValidator.validate(c.msgTraceTopicName) == nil {
            builtins.append(TopicConfig(topicName: c.msgTraceTopicName, readQueueNums: 1, writeQueueNums: 1))
        }
        if c.autoCreateTopicEnable {
            builtins.append(TopicConfig(topicName: MixAll.autoCreateTopicKeyTopic, readQueueNums: c.defaultTopicQueueNums,
                                        writeQueueNums: c.defaultTopicQueueNums,
                                        perm: PermName.inherit | PermName.read | PermName.write))
        }
        state.withLock { s in
            for t in builtins where s.table[t.topicName] == nil { s.table[t.topicName] = t }
            if !c.autoCreateTopicEnable { s.table.removeValue(forKey: MixAll.autoCreateTopicKeyTopic) }
        }
        persist()
    }

    public func select(_ topic: String) -> TopicConfig? { state.withLock { $0.table[topic] } }

    /// The send path's lookup: the config and, when metrics are on, the topic's counters, under the one
    /// lock the lookup takes anyway (the handle is made once, on the topic's first send).
    func selectForSend(_ topic: String) -> (TopicConfig, TopicInMetrics?)? {
        guard countsIncoming else { return select(topic).map { ($0, nil) } }
        return state.withLock { s -> (TopicConfig, TopicInMetrics?)? in
            guard let config = s.table[topic] else { return nil }
            if let handle = s.inMetrics[topic] { return (config, handle) }
            let handle = TopicInMetrics(topic: topic)
            s.inMetrics[topic] = handle
            return (config, handle)
        }
    }

    /// Every topic's incoming counters (scrape time).
    var incomingMetrics: [TopicInMetrics] { state.withLock { Array($0.inMetrics.values) } }

    /// A slave's stand-in for a replicated topic its master's table did not bring yet (version unchanged,
    /// so the next sync from the master still replaces the table).
    func addReplicated(_ config: TopicConfig) {
        state.withLock { s in
            if s.table[config.topicName] == nil { s.table[config.topicName] = config }
        }
    }

    /// A slave takes its master's topics wholesale when their version differs (Java `syncTopicConfig`).
    /// - Returns: whether anything changed.
    @discardableResult
    func replaceFromMaster(_ wrapper: TopicConfigSerializeWrapper) -> Bool {
        let changed = state.withLock { s -> Bool in
            guard s.dataVersion != wrapper.dataVersion else { return false }
            s.table = wrapper.topicConfigTable
            s.dataVersion = wrapper.dataVersion
            return true
        }
        if changed { persist() }
        return changed
    }

    public var all: [String: TopicConfig] { state.withLock { $0.table } }

    public func wrapper() -> TopicConfigSerializeWrapper {
        state.withLock { TopicConfigSerializeWrapper(topicConfigTable: $0.table, dataVersion: $0.dataVersion) }
    }

    public func update(_ config: TopicConfig) {
        state.withLock {
            $0.table[config.topicName] = config
            $0.dataVersion.nextVersion()
        }
        persist()
    }

    public func delete(_ topic: String) -> Bool {
        let removed = state.withLock { s -> Bool in
            guard s.table.removeValue(forKey: topic) != nil else { return false }
            s.inMetrics.removeValue(forKey: topic)
            s.dataVersion.nextVersion()
            return true
        }
        if removed { persist() }
        return removed
    }

    /// Auto-creates a topic on first send from the template topic (Java
    /// `createTopicInSendMessageMethod`). Returns the config and whether it was created now.
    func createTopicInSendMessageMethod(topic: String, defaultTopic: String, queueNums: Int32, sysFlag: Int32)
        -> (TopicConfig?, created: Bool)
    {
        let result = state.withLock { s -> (TopicConfig?, Bool) in
            if let existing = s.table[topic] { return (existing, false) }
            guard let template = s.table[defaultTopic], PermName.isInherited(template.perm) else { return (nil, false) }
            let nums = max(1, min(queueNums, template.writeQueueNums))
            let config = TopicConfig(topicName: topic, readQueueNums: nums, writeQueueNums: nums,
                                     perm: template.perm & ~PermName.inherit, topicFilterType: template.topicFilterType,
                                     topicSysFlag: sysFlag)
            s.table[topic] = config
            s.dataVersion.nextVersion()
            return (config, true)
        }
        if result.1 { persist() }
        return result
    }

    /// Creates a system-owned topic (retry, DLQ, …) if absent. Returns it and whether it was created now.
    func createIfAbsent(_ topic: String, queueNums: Int32, perm: Int32, sysFlag: Int32 = 0) -> (TopicConfig, created: Bool) {
        let result = state.withLock { s -> (TopicConfig, Bool) in
            if let existing = s.table[topic] { return (existing, false) }
            let config = TopicConfig(topicName: topic, readQueueNums: queueNums, writeQueueNums: queueNums, perm: perm,
                                     topicSysFlag: sysFlag)
            s.table[topic] = config
            s.dataVersion.nextVersion()
            return (config, true)
        }
        if result.1 { persist() }
        return result
    }

    func persist() { persistence.save(wrapper().toJSON()) }
}
