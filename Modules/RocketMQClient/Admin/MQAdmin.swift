//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import NIOPosix
import RocketMQCommon
import RocketMQRemoting

/// Administration of topics, groups, brokers and name servers (Java `DefaultMQAdminExt`).
///
/// A separate part of the client: it has its own connections and no background loops, so tools can
/// create it, call a few functions and `shutdown()`. Every function returns a typed value or throws
/// ``ClientError``.
public final class MQAdmin: Sendable {
    public let config: ClientConfig
    let remoting: RemotingClient
    let api: MQClientAPI
    let logger: Logger

    public init(namesrvAddr: String? = nil, clientConfig: ClientConfig = ClientConfig(),
                logger: Logger = Logger(label: "rocketmq.admin")) {
        var config = clientConfig
        if let namesrvAddr { config.namesrvAddr = namesrvAddr }
        self.config = config
        self.logger = logger
        self.remoting = RemotingClient(group: MultiThreadedEventLoopGroup.singleton, logger: logger,
                                       tls: config.useTLS ? config.tls : nil)
        self.api = MQClientAPI(remoting: remoting, config: config, logger: logger)
    }

    /// Nothing to start (connections are made on demand); kept for symmetry with Java's `start()`.
    public func start() async throws(ClientError) {
        if config.namesrvAddrList.isEmpty { throw .noNameServer("namesrvAddr is empty") }
        do { try remoting.checkTLS() } catch { throw .illegalArgument("\(error)") }
    }

    public func shutdown() async { await remoting.shutdown() }

    // MARK: Helpers

    func expectBody<T: JSONBody>(_ type: T.Type, _ response: RemotingCommand, _ what: String) throws(ClientError) -> T {
        do { return try T(body: response.body) } catch { throw .remoting("bad \(what) body: \(error)") }
    }

    /// Master addresses of a topic's brokers.
    func masterAddresses(topic: String) async throws(ClientError) -> [(brokerName: String, address: String)] {
        let route = try await topicRoute(topic)
        return route.brokerDatas.sorted { $0.brokerName < $1.brokerName }.compactMap { b in
            b.brokerAddrs[MixAll.masterID].map { (b.brokerName, $0) }
        }
    }

    /// Master addresses of every broker in a cluster.
    func masterAddresses(cluster: String) async throws(ClientError) -> [String] {
        let info = try await clusterInfo()
        guard let names = info.clusterAddrTable[cluster] else {
            throw .illegalArgument("cluster \(cluster) not found in the name server")
        }
        return names.sorted().compactMap { info.brokerAddrTable[$0]?.brokerAddrs[MixAll.masterID] }
    }

    // MARK: Name server

    public func clusterInfo() async throws(ClientError) -> ClusterInfo {
        let response = try await api.invokeNameServer(.request(.getBrokerClusterInfo))
        try expectSuccess(response)
        return try expectBody(ClusterInfo.self, response, "cluster info")
    }

    public func topicRoute(_ topic: String) async throws(ClientError) -> TopicRouteData {
        guard let route = try await api.topicRoute(topic) else { throw .noRouteInfo(topic) }
        return route
    }

    public func topicList() async throws(ClientError) -> [String] {
        let response = try await api.invokeNameServer(.request(.getAllTopicListFromNameserver))
        try expectSuccess(response)
        return try expectBody(TopicList.self, response, "topic list").topicList
    }

    public func putKVConfig(namespace: String, key: String, value: String) async throws(ClientError) {
        _ = try await api.invokeAllNameServers(.request(.putKVConfig, header: PutKVConfigRequestHeader(
            namespace: namespace, key: key, value: value)))
    }

    public func deleteKVConfig(namespace: String, key: String) async throws(ClientError) {
        _ = try await api.invokeAllNameServers(.request(.deleteKVConfig, header: DeleteKVConfigRequestHeader(
            namespace: namespace, key: key)))
    }

    /// The value, or nil when no name server has it.
    public func kvConfig(namespace: String, key: String) async throws(ClientError) -> String? {
        let response = try await api.invokeNameServer(.request(.getKVConfig, header: GetKVConfigRequestHeader(
            namespace: namespace, key: key)))
        if response.responseCode == .queryNotFound { return nil }
        try expectSuccess(response)
        return response.extFields["value"]
    }

    /// Removes write permission of a broker on every name server; returns name server → topics changed.
    public func wipeWritePerm(brokerName: String) async throws(ClientError) -> [String: Int32] {
        var result: [String: Int32] = [:]
        for address in config.namesrvAddrList {
            let response = try await api.invokeExpectingSuccess(address, .request(
                .wipeWritePermOfBroker, header: WipeWritePermOfBrokerRequestHeader(brokerName: brokerName)))
            result[address] = response.extFields["wipeTopicCount"].flatMap { Int32($0) } ?? 0
        }
        return result
    }

    // MARK: Topics

    /// UPDATE_AND_CREATE_TOPIC on one broker (creates or updates).
    public func createTopic(brokerAddr: String, config: TopicConfig) async throws(ClientError) {
        _ = try await api.invokeExpectingSuccess(brokerAddr, ClientRequests.createTopic(config))
    }

    public func updateTopic(brokerAddr: String, config: TopicConfig) async throws(ClientError) {
        try await createTopic(brokerAddr: brokerAddr, config: config)
    }

    /// Creates a topic on every master of a cluster.
    public func createTopic(clusterName: String, config: TopicConfig) async throws(ClientError) {
        for address in try await masterAddresses(cluster: clusterName) {
            try await createTopic(brokerAddr: address, config: config)
        }
    }

    /// DELETE_TOPIC_IN_BROKER on every master of the cluster, then DELETE_TOPIC_IN_NAMESRV on every name server.
    public func deleteTopic(_ topic: String, clusterName: String) async throws(ClientError) {
        for address in try await masterAddresses(cluster: clusterName) {
            _ = try await api.invokeExpectingSuccess(address, .request(
                .deleteTopicInBroker, header: DeleteTopicRequestHeader(topic: topic)))
        }
        _ = try await api.invokeAllNameServers(.request(
            .deleteTopicInNamesrv, header: DeleteTopicRequestHeader(topic: topic, clusterName: clusterName)))
    }

    /// Min/max offsets of every queue of the topic, merged over its brokers.
    public func topicStats(_ topic: String) async throws(ClientError) -> TopicStatsTable {
        var merged = TopicStatsTable(offsetTable: [:])
        for (_, address) in try await masterAddresses(topic: topic) {
            let response = try await api.invokeExpectingSuccess(address, .request(
                .getTopicStatsInfo, header: GetTopicStatsInfoRequestHeader(topic: topic)))
            let table = try expectBody(TopicStatsTable.self, response, "topic stats")
            merged.offsetTable.merge(table.offsetTable) { $1 }
        }
        return merged
    }

    // MARK: Groups

    public func updateSubscriptionGroup(brokerAddr: String, config: SubscriptionGroupConfig) async throws(ClientError) {
        _ = try await api.invokeExpectingSuccess(brokerAddr, .request(
            .updateAndCreateSubscriptionGroup, body: config.encodedBody()))
    }

    public func deleteSubscriptionGroup(brokerAddr: String, groupName: String, removeOffset: Bool = false)
        async throws(ClientError)
    {
        _ = try await api.invokeExpectingSuccess(brokerAddr, .request(
            .deleteSubscriptionGroup, header: DeleteSubscriptionGroupRequestHeader(groupName: groupName,
                                                                                 removeOffset: removeOffset)))
    }

    /// Consumer progress (GET_CONSUME_STATS) over the brokers of `%RETRY%<group>` (or of `topic` if given).
    public func consumerProgress(group: String, topic: String? = nil) async throws(ClientError) -> ConsumeStats {
        let routeTopic = topic ?? MixAll.retryTopic(group)
        var merged = ConsumeStats(offsetTable: [:])
        for (_, address) in try await masterAddresses(topic: routeTopic) {
            let response = try await api.invokeExpectingSuccess(address, .request(
                .getConsumeStats, header: GetConsumeStatsRequestHeader(consumerGroup: group, topic: topic)))
            let stats = try expectBody(ConsumeStats.self, response, "consume stats")
            merged.offsetTable.merge(stats.offsetTable) { $1 }
            merged.consumeTps += stats.consumeTps
        }
        return merged
    }

    /// The consumer groups of a topic (QUERY_TOPIC_CONSUME_BY_WHO), over all of its brokers.
    public func topicConsumers(_ topic: String) async throws(ClientError) -> [String] {
        var groups = Set<String>()
        for (_, address) in try await masterAddresses(topic: topic) {
            let response = try await api.invokeExpectingSuccess(address, .request(
                .queryTopicConsumeByWho, header: QueryTopicConsumeByWhoRequestHeader(topic: topic)))
            groups.formUnion(try expectBody(GroupList.self, response, "group list").groupList)
        }
        return groups.sorted()
    }

    public func consumerConnection(group: String) async throws(ClientError) -> ConsumerConnection {
        var lastError: ClientError = .noRouteInfo(MixAll.retryTopic(group))
        for (_, address) in try await masterAddresses(topic: MixAll.retryTopic(group)) {
            do {
                let response = try await api.invokeExpectingSuccess(address, .request(
                    .getConsumerConnectionList, header: GetConsumerConnectionListRequestHeader(consumerGroup: group)))
                return try expectBody(ConsumerConnection.self, response, "consumer connection")
            } catch { lastError = error }
        }
        throw lastError
    }

    public func producerConnection(group: String, topic: String) async throws(ClientError) -> ProducerConnection {
        var lastError: ClientError = .noRouteInfo(topic)
        for (_, address) in try await masterAddresses(topic: topic) {
            do {
                let response = try await api.invokeExpectingSuccess(address, .request(
                    .getProducerConnectionList, header: GetProducerConnectionListRequestHeader(producerGroup: group)))
                return try expectBody(ProducerConnection.self, response, "producer connection")
            } catch { lastError = error }
        }
        throw lastError
    }

    /// INVOKE_BROKER_TO_RESET_OFFSET on every broker of the topic; returns the new offsets.
    public func resetOffsetByTime(topic: String, group: String, timestamp: Int64, isForce: Bool = true)
        async throws(ClientError) -> [MessageQueue: Int64]
    {
        var result: [MessageQueue: Int64] = [:]
        for (_, address) in try await masterAddresses(topic: topic) {
            let response = try await api.invokeExpectingSuccess(address, .request(
                .invokeBrokerToResetOffset, header: ResetOffsetRequestHeader(
                    topic: topic, group: group, timestamp: timestamp, isForce: isForce)), timeoutMillis: 10_000)
            if let body = response.body, body.readableBytes > 0, let json = try? JSONParser.parse(response.bodyBytes) {
                result.merge(ResetOffsetBody(json: json).offsetTable) { $1 }
            }
        }
        return result
    }

    // MARK: Brokers

    public func brokerRuntimeInfo(brokerAddr: String) async throws(ClientError) -> [String: String] {
        let response = try await api.invokeExpectingSuccess(brokerAddr, .request(.getBrokerRuntimeInfo))
        return try expectBody(KVTable.self, response, "runtime info").table
    }

    /// A broker's replication state (GET_BROKER_HA_STATUS, 5.x).
    public func brokerHAStatus(brokerAddr: String) async throws(ClientError) -> HARuntimeInfo {
        let response = try await api.invokeExpectingSuccess(brokerAddr, .request(.getBrokerHAStatus))
        return try expectBody(HARuntimeInfo.self, response, "HA status")
    }

    /// The broker's configuration (a properties text body).
    public func brokerConfig(brokerAddr: String) async throws(ClientError) -> [String: String] {
        let response = try await api.invokeExpectingSuccess(brokerAddr, .request(.getBrokerConfig))
        var result: [String: String] = [:]
        for (key, value) in PropertiesFile.parse(String(decoding: response.bodyBytes, as: UTF8.self)) {
            result[key] = value
        }
        return result
    }

    public func updateBrokerConfig(brokerAddr: String, properties: [String: String]) async throws(ClientError) {
        let text = PropertiesFile.render(properties.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) })
        _ = try await api.invokeExpectingSuccess(brokerAddr, .request(.updateBrokerConfig,
                                                                      body: ByteBuffer(string: text)))
    }

    func expectSuccess(_ response: RemotingCommand) throws(ClientError) {
        guard response.responseCode == .success else {
            throw .broker(MQBrokerError(code: response.responseCode, remark: response.remark))
        }
    }
}
