//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import RocketMQRemoting
import Synchronization

/// Brokers, clusters and topic queues as brokers report them (Java `RouteInfoManager`).
///
/// The tables are one value type behind a `Mutex`. Readers copy the value out (copy-on-write makes
/// that a few retains) and compute outside the lock, so route reads never wait on a registration.
public final class RouteInfoManager: Sendable {
    struct BrokerLiveInfo: Sendable {
        var lastUpdateTimestamp: Int64
        var dataVersion: DataVersion
        var channelID: ObjectIdentifier?
        var haServerAddr: String
    }

    struct Tables: Sendable {
        var topicQueueTable: [String: [String: QueueData]] = [:]
        var brokerAddrTable: [String: BrokerData] = [:]
        var clusterAddrTable: [String: Set<String>] = [:]
        var brokerLiveTable: [String: BrokerLiveInfo] = [:]
        var filterServerTable: [String: [String]] = [:]
    }

    public struct RegisterResult: Sendable {
        public var haServerAddr: String?
        public var masterAddr: String?
    }

    private let tables = Mutex(Tables())
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    var snapshot: Tables { tables.withLock { $0 } }

    public func registerBroker(clusterName: String, brokerAddr: String, brokerName: String, brokerID: Int64,
                               haServerAddr: String, topicConfigWrapper: TopicConfigSerializeWrapper?,
                               filterServerList: [String], channelID: ObjectIdentifier?) -> RegisterResult {
        let now = Clock.millis()
        return tables.withLock { t -> RegisterResult in
            t.clusterAddrTable[clusterName, default: []].insert(brokerName)
            var brokerData = t.brokerAddrTable[brokerName]
                ?? BrokerData(cluster: clusterName, brokerName: brokerName, brokerAddrs: [:])
            // An address re-registered under another id replaces the old id.
            for (id, addr) in brokerData.brokerAddrs where addr == brokerAddr && id != brokerID {
                brokerData.brokerAddrs.removeValue(forKey: id)
            }
            let registerFirst = brokerData.brokerAddrs[brokerID] == nil
            brokerData.brokerAddrs[brokerID] = brokerAddr
            t.brokerAddrTable[brokerName] = brokerData

            if let wrapper = topicConfigWrapper, brokerID == MixAll.masterID {
                let changed = t.brokerLiveTable[brokerAddr].map { $0.dataVersion != wrapper.dataVersion } ?? true
                if changed || registerFirst {
                    for (_, config) in wrapper.topicConfigTable {
                        t.topicQueueTable[config.topicName, default: [:]][brokerName] = QueueData(
                            brokerName: brokerName, readQueueNums: config.readQueueNums,
                            writeQueueNums: config.writeQueueNums, perm: config.perm, topicSysFlag: config.topicSysFlag)
                    }
                }
            }
            let previous = t.brokerLiveTable[brokerAddr]
            t.brokerLiveTable[brokerAddr] = BrokerLiveInfo(
                lastUpdateTimestamp: now, dataVersion: topicConfigWrapper?.dataVersion ?? previous?.dataVersion ?? DataVersion(),
                channelID: channelID, haServerAddr: haServerAddr)
            if filterServerList.isEmpty {
                t.filterServerTable.removeValue(forKey: brokerAddr)
            } else {
                t.filterServerTable[brokerAddr] = filterServerList
            }
            var result = RegisterResult()
            if brokerID != MixAll.masterID, let masterAddr = brokerData.brokerAddrs[MixAll.masterID] {
                result.masterAddr = masterAddr
                result.haServerAddr = t.brokerLiveTable[masterAddr]?.haServerAddr
            }
            return result
        }
    }

    public func unregisterBroker(clusterName: String, brokerAddr: String, brokerName: String, brokerID: Int64) {
        tables.withLock { t in
            t.brokerLiveTable.removeValue(forKey: brokerAddr)
            t.filterServerTable.removeValue(forKey: brokerAddr)
            Self.removeAddress(&t, brokerName: brokerName, brokerAddr: brokerAddr, clusterName: clusterName)
        }
        logger.info("broker unregistered", metadata: ["broker": "\(brokerName)", "addr": "\(brokerAddr)"])
    }

    private static func removeAddress(_ t: inout Tables, brokerName: String, brokerAddr: String, clusterName: String?) {
        guard var data = t.brokerAddrTable[brokerName] else { return }
        for (id, addr) in data.brokerAddrs where addr == brokerAddr { data.brokerAddrs.removeValue(forKey: id) }
        if data.brokerAddrs.isEmpty {
            t.brokerAddrTable.removeValue(forKey: brokerName)
            let cluster = clusterName ?? data.cluster
            t.clusterAddrTable[cluster]?.remove(brokerName)
            if t.clusterAddrTable[cluster]?.isEmpty == true { t.clusterAddrTable.removeValue(forKey: cluster) }
            for topic in Array(t.topicQueueTable.keys) {
                t.topicQueueTable[topic]?.removeValue(forKey: brokerName)
                if t.topicQueueTable[topic]?.isEmpty == true { t.topicQueueTable.removeValue(forKey: topic) }
            }
        } else {
            t.brokerAddrTable[brokerName] = data
        }
    }

    /// A broker's connection closed: drop it at once.
    public func onChannelDestroy(channelID: ObjectIdentifier) {
        let removed = tables.withLock { t -> [String] in
            let addrs = t.brokerLiveTable.filter { $0.value.channelID == channelID }.map(\.key)
            for addr in addrs { Self.dropBroker(&t, addr: addr) }
            return addrs
        }
        for addr in removed { logger.info("broker channel closed; removed", metadata: ["addr": "\(addr)"]) }
    }

    private static func dropBroker(_ t: inout Tables, addr: String) {
        t.brokerLiveTable.removeValue(forKey: addr)
        t.filterServerTable.removeValue(forKey: addr)
        for (name, data) in t.brokerAddrTable where data.brokerAddrs.values.contains(addr) {
            removeAddress(&t, brokerName: name, brokerAddr: addr, clusterName: nil)
        }
    }

    /// Drops brokers that have not re-registered within `expiredMillis`. Returns the dropped addresses.
    @discardableResult
    public func scanNotActiveBroker(expiredMillis: Int64, now: Int64 = Clock.millis()) -> [String] {
        let removed = tables.withLock { t -> [String] in
            let dead = t.brokerLiveTable.filter { $0.value.lastUpdateTimestamp + expiredMillis < now }.map(\.key)
            for addr in dead { Self.dropBroker(&t, addr: addr) }
            return dead
        }
        for addr in removed { logger.warning("the broker channel expired", metadata: ["addr": "\(addr)"]) }
        return removed
    }

    public func pickupTopicRouteData(topic: String) -> TopicRouteData? {
        let t = snapshot
        guard let queues = t.topicQueueTable[topic], !queues.isEmpty else { return nil }
        let queueDatas = queues.values.sorted { $0.brokerName < $1.brokerName }
        var brokerDatas: [BrokerData] = []
        var filters: [String: [String]] = [:]
        for name in queueDatas.map(\.brokerName) {
            guard let data = t.brokerAddrTable[name] else { continue }
            brokerDatas.append(data)
            for addr in data.brokerAddrs.values { if let f = t.filterServerTable[addr] { filters[addr] = f } }
        }
        guard !brokerDatas.isEmpty else { return nil }
        return TopicRouteData(queueDatas: queueDatas, brokerDatas: brokerDatas, filterServerTable: filters)
    }

    public func clusterInfo() -> ClusterInfo {
        let t = snapshot
        return ClusterInfo(brokerAddrTable: t.brokerAddrTable, clusterAddrTable: t.clusterAddrTable.mapValues { Array($0).sorted() })
    }

    public func allTopics() -> [String] { snapshot.topicQueueTable.keys.sorted() }

    public func topics(inCluster cluster: String) -> [String] {
        let t = snapshot
        let brokers = t.clusterAddrTable[cluster] ?? []
        return t.topicQueueTable.filter { !$0.value.keys.filter(brokers.contains).isEmpty }.map(\.key).sorted()
    }

    public func systemTopics() -> [String] {
        let t = snapshot
        var topics = Set(t.clusterAddrTable.keys)
        for names in t.clusterAddrTable.values { topics.formUnion(names) }
        return topics.sorted()
    }

    /// Removes a topic everywhere, or only from one cluster's brokers.
    public func deleteTopic(_ topic: String, clusterName: String? = nil) {
        tables.withLock { t in
            if let clusterName, !clusterName.isEmpty, let brokers = t.clusterAddrTable[clusterName] {
                for b in brokers { t.topicQueueTable[topic]?.removeValue(forKey: b) }
                if t.topicQueueTable[topic]?.isEmpty == true { t.topicQueueTable.removeValue(forKey: topic) }
            } else {
                t.topicQueueTable.removeValue(forKey: topic)
            }
        }
    }

    /// Clears (or sets) the write permission on every topic queue of a broker; returns how many changed.
    public func updateWritePerm(brokerName: String, wipe: Bool) -> Int32 {
        tables.withLock { t -> Int32 in
            var count: Int32 = 0
            for topic in Array(t.topicQueueTable.keys) {
                guard var q = t.topicQueueTable[topic]?[brokerName] else { continue }
                q.perm = wipe ? q.perm & ~PermName.write : q.perm | PermName.write
                t.topicQueueTable[topic]?[brokerName] = q
                count += 1
            }
            return count
        }
    }

    /// QUERY_DATA_VERSION: refreshes liveness and says whether the broker's topics changed.
    public func isBrokerTopicConfigChanged(brokerAddr: String, dataVersion: DataVersion) -> Bool {
        tables.withLock { t -> Bool in
            guard var live = t.brokerLiveTable[brokerAddr] else { return true }
            live.lastUpdateTimestamp = Clock.millis()
            t.brokerLiveTable[brokerAddr] = live
            return live.dataVersion != dataVersion
        }
    }

    public var liveBrokerCount: Int { snapshot.brokerLiveTable.count }
}
