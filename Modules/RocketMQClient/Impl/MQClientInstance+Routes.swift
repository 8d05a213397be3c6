//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting

/// Route cache, broker addresses, heartbeats and the periodic work (Java `MQClientInstance`
/// `updateTopicRouteInfoFromNameServer`, `sendHeartbeatToAllBroker`, `findBrokerAddress*`).
extension MQClientInstance {
    // MARK: Routes

    /// Fetches one topic's route and updates every cache built from it. For producers an unknown topic
    /// falls back to TBW102's route with min(4, its queue count) queues per broker (broker auto-create).
    @discardableResult
    func updateTopicRoute(_ topic: String, producerDefault: Bool = false, defaultQueueNums: Int32 = 4) async -> Bool {
        do {
            var route = try await api.topicRoute(topic)
            if route == nil && producerDefault {
                if var fallback = try await api.topicRoute(MixAll.autoCreateTopicKeyTopic) {
                    for i in fallback.queueDatas.indices {
                        let n = min(defaultQueueNums, fallback.queueDatas[i].readQueueNums)
                        fallback.queueDatas[i].readQueueNums = n
                        fallback.queueDatas[i].writeQueueNums = n
                    }
                    route = fallback
                }
            }
            guard let route else { return false }
            apply(route: route, topic: topic)
            return true
        } catch {
            logger.debug("route update failed", metadata: ["rocketmq.topic": "\(topic)", "error": "\(error)"])
            return false
        }
    }

    func apply(route: TopicRouteData, topic: String) {
        let publish = TopicPublishInfo(topic: topic, route: route)
        let subscribe = TopicPublishInfo.subscribeQueues(topic: topic, route: route)
        state.withLock { s in
            for broker in route.brokerDatas { s.brokerAddrs[broker.brokerName] = broker.brokerAddrs }
            s.routes[topic] = route
            s.publishInfo[topic] = publish
            s.subscribeInfo[topic] = subscribe
        }
    }

    /// Refreshes every topic a producer or consumer uses (the 30 s loop).
    func updateTopicRoutesFromNameServer() async {
        let topics = state.withLock { s -> Set<String> in
            var t = Set(s.publishInfo.keys)
            for consumer in s.consumers.values { t.formUnion(consumer.subscribedTopics()) }
            return t
        }
        for topic in topics { await updateTopicRoute(topic, producerDefault: false) }
    }

    /// A topic's writable queues, fetching the route when it is missing (Java `tryToFindTopicPublishInfo`).
    /// Whether a route of `topic` is cached (Java `getTopicRouteTable().containsKey`).
    func hasRoute(_ topic: String) -> Bool { state.withLock { $0.routes[topic] != nil } }

    func topicPublishInfo(_ topic: String) async throws(ClientError) -> TopicPublishInfo {
        if let cached = state.withLock({ $0.publishInfo[topic] }), cached.ok { return cached }
        if !(await updateTopicRoute(topic)) {
            await updateTopicRoute(topic, producerDefault: true)
        }
        if let info = state.withLock({ $0.publishInfo[topic] }), info.ok { return info }
        if config.namesrvAddrList.isEmpty { throw .noNameServer("namesrvAddr is empty") }
        throw .noRouteInfo(topic)
    }

    /// A topic's readable queues, fetching the route when it is missing.
    func subscribeQueues(_ topic: String) async -> Set<MessageQueue>? {
        if let cached = state.withLock({ $0.subscribeInfo[topic] }) { return cached }
        await updateTopicRoute(topic)
        return state.withLock { $0.subscribeInfo[topic] }
    }

    func cachedSubscribeQueues(_ topic: String) -> Set<MessageQueue>? { state.withLock { $0.subscribeInfo[topic] } }

    func cachedRoute(_ topic: String) -> TopicRouteData? { state.withLock { $0.routes[topic] } }

    // MARK: Broker addresses

    /// The master's address (producers only write to masters).
    func masterAddress(_ brokerName: String) -> String? {
        state.withLock { $0.brokerAddrs[brokerName]?[MixAll.masterID] }
    }

    /// The master's address, refreshing the topic's route once when it is unknown.
    func masterAddress(_ brokerName: String, topic: String) async -> String? {
        if let address = masterAddress(brokerName) { return address }
        await updateTopicRoute(topic)
        return masterAddress(brokerName)
    }

    /// The master if known, else any replica (Java `findBrokerAddressInSubscribe`).
    func subscribeAddress(_ brokerName: String) -> String? {
        state.withLock { s in
            guard let addrs = s.brokerAddrs[brokerName] else { return nil }
            return addrs[MixAll.masterID] ?? addrs.sorted { $0.key < $1.key }.first?.value
        }
    }

    /// The address of some broker that serves the topic (Java `findBrokerAddrByTopic`).
    func anyBrokerAddress(topic: String) -> String? {
        state.withLock { s in
            guard let route = s.routes[topic] else { return nil }
            for broker in route.brokerDatas.sorted(by: { $0.brokerName < $1.brokerName }) {
                if let addr = broker.selectBrokerAddr { return addr }
            }
            return nil
        }
    }

    /// Client ids of a group's members, as a broker serving the topic sees them.
    func consumerIDList(topic: String, group: String) async -> [String] {
        var address = anyBrokerAddress(topic: topic)
        if address == nil {
            await updateTopicRoute(topic)
            address = anyBrokerAddress(topic: topic)
        }
        guard let address else { return [] }
        do { return try await api.consumerIDList(address: address, group: group) } catch {
            logger.info("get consumer list failed", metadata: ["address": "\(address)", "error": "\(error)"])
            return []
        }
    }

    // MARK: Heartbeat, rebalance, offsets

    func heartbeatData() -> HeartbeatData {
        state.withLock { s in
            HeartbeatData(clientID: clientID,
                          producerDataSet: s.producers.keys.sorted().map { ProducerData(groupName: $0) },
                          consumerDataSet: s.consumers.keys.sorted().compactMap { s.consumers[$0]?.consumerData() })
        }
    }

    /// HEART_BEAT to every broker: masters only when there are just producers, all replicas when
    /// consumers exist (they may pull from slaves).
    func sendHeartbeatToAllBrokers() async {
        let data = heartbeatData()
        if data.producerDataSet.isEmpty && data.consumerDataSet.isEmpty { return }
        let addresses = state.withLock { s -> [String] in
            var list: [String] = []
            for (_, addrs) in s.brokerAddrs.sorted(by: { $0.key < $1.key }) {
                for (id, addr) in addrs.sorted(by: { $0.key < $1.key }) where id == MixAll.masterID || !data.consumerDataSet.isEmpty {
                    list.append(addr)
                }
            }
            return list
        }
        for address in addresses {
            do { try await api.heartbeat(address: address, data: data) } catch {
                logger.info("heartbeat failed", metadata: ["address": "\(address)", "error": "\(error)"])
            }
        }
    }

    /// Rebalances every consumer (the 20 s loop and NOTIFY_CONSUMER_IDS_CHANGED).
    func doRebalance() async {
        let consumers = state.withLock { Array($0.consumers.values) }
        for consumer in consumers { await consumer.doRebalance() }
    }

    /// Wakes rebalance at once, without waiting for the loop.
    func rebalanceImmediately() {
        Task { [weak self] in await self?.doRebalance() }
    }

    func persistAllConsumerOffsets() async {
        let consumers = state.withLock { Array($0.consumers.values) }
        for consumer in consumers { await consumer.persistConsumerOffset() }
    }
}
