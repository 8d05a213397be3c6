//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon
import RocketMQRemoting
import RocketMQStore

/// Topic, group and configuration administration (Java `AdminBrokerProcessor`, first half).
struct AdminBrokerProcessor: RequestProcessor {
    let broker: BrokerController

    func processRequest(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand? {
        switch request.requestCode {
        case .updateAndCreateTopic: return try await updateAndCreateTopic(request)
        case .deleteTopicInBroker: return try await deleteTopic(request)
        case .getAllTopicConfig: return .response(body: broker.topicConfigManager.wrapper().encodedBody())
        case .getTopicNameList, .getSystemTopicListFromBroker:
            return .response(body: TopicList(topicList: broker.topicConfigManager.all.keys.sorted(),
                                             brokerAddr: broker.config.brokerAddr).encodedBody())
        case .updateBrokerConfig: return try updateBrokerConfig(request)
        case .getBrokerConfig:
            let text = PropertiesFile.render(BrokerConfig.binder.render(broker.config))
            return .response(body: ByteBuffer(string: text))
        case .getBrokerRuntimeInfo:
            return .response(body: KVTable(table: broker.runtimeInfo()).encodedBody())
        case .getBrokerHAStatus:
            return .response(body: broker.haRuntimeInfo().encodedBody())
        case .updateAndCreateSubscriptionGroup:
            let config = try SubscriptionGroupConfig(body: request.body)
            broker.subscriptionGroupManager.update(config)
            return .response()
        case .getAllSubscriptionGroupConfig:
            return .response(body: broker.subscriptionGroupManager.wrapper.encodedBody())
        case .deleteSubscriptionGroup:
            let h = try request.decodeHeader(DeleteSubscriptionGroupRequestHeader.self)
            guard broker.subscriptionGroupManager.delete(h.groupName) else {
                return .response(.subscriptionGroupNotExist, remark: "subscription group [\(h.groupName)] does not exist")
            }
            if h.removeOffset { broker.consumerOffsetManager.removeGroup(h.groupName) }
            broker.metrics.forget(group: h.groupName)
            return .response()
        case .triggerDeleteFiles:
            _ = broker.store.executeDeleteFilesManually()
            return .response()
        case .getMaxOffset, .getMinOffset, .searchOffsetByTimestamp, .getEarliestMsgStoretime, .getTopicStatsInfo,
             .getConsumeStats, .getConsumerConnectionList, .getProducerConnectionList, .invokeBrokerToResetOffset,
             .getAllConsumerOffset, .queryTopicConsumeByWho, .lockBatchMQ, .unlockBatchMQ:
            return try AdminStatsProcessor(broker: broker).processRequest(request, context: context)
        default:
            // Only reachable if the processor table routes a code here that this switch does not list.
            return .response(.requestCodeNotSupported, remark: " request type \(request.code) not supported")
        }
    }

    /// As upstream, answers after the name servers have the new route (so a client may use the topic
    /// as soon as the admin call returns).
    func updateAndCreateTopic(_ request: RemotingCommand) async throws -> RemotingCommand {
        let h = try request.decodeHeader(CreateTopicRequestHeader.self)
        if let remark = TopicValidator.validate(h.topic) { return .response(.systemError, remark: remark) }
        if isSystemTopic(h.topic) {
            return .response(.systemError, remark: "The topic[\(h.topic)] is conflict with system topic.")
        }
        guard h.readQueueNums > 0, h.writeQueueNums > 0, h.readQueueNums <= 1024, h.writeQueueNums <= 1024 else {
            return .response(.systemError, remark: "queue nums must be between 1 and 1024 (read \(h.readQueueNums), write \(h.writeQueueNums))")
        }
        broker.topicConfigManager.update(TopicConfig(
            topicName: h.topic, readQueueNums: h.readQueueNums, writeQueueNums: h.writeQueueNums, perm: h.perm,
            topicFilterType: h.topicFilterType ?? "SINGLE_TAG", topicSysFlag: h.topicSysFlag ?? 0, order: h.order))
        await broker.registerBrokerAll()
        return .response()
    }

    func deleteTopic(_ request: RemotingCommand) async throws -> RemotingCommand {
        let h = try request.decodeHeader(DeleteTopicRequestHeader.self)
        if isSystemTopic(h.topic) {
            return .response(.systemError, remark: "The topic[\(h.topic)] is conflict with system topic.")
        }
        _ = broker.topicConfigManager.delete(h.topic)
        broker.consumerOffsetManager.removeTopic(h.topic)
        broker.metrics.forget(topic: h.topic)
        _ = broker.store.deleteTopics([h.topic])
        await broker.registerBrokerAll()
        return .response()
    }

    /// Upstream's system topic set also holds the topics named after this broker's cluster and broker
    /// and the cluster's reply topic (registered when the topic manager creates them).
    func isSystemTopic(_ topic: String) -> Bool {
        let c = broker.config
        return TopicValidator.isSystemTopic(topic) || topic == c.brokerClusterName || topic == c.brokerName
            || topic == c.brokerClusterName + "_" + MixAll.replyTopicPostfix
    }

    func updateBrokerConfig(_ request: RemotingCommand) throws -> RemotingCommand {
        let pairs = PropertiesFile.parse(String(decoding: request.bodyBytes, as: UTF8.self))
        let frozen: Set<String> = ["brokerClusterName", "brokerName", "brokerId", "listenPort", "storePathRootDir",
                                   "storePathCommitLog", "brokerIP1", "bindAddress", "brokerPlugins"]
        if let key = pairs.first(where: { frozen.contains($0.key) })?.key {
            return .response(.noPermission, remark: "Can not update config in black list: \(key)")
        }
        if let unknown = pairs.first(where: { p in BrokerConfig.binder.keys.allSatisfy { $0.name != p.key } }) {
            return .response(.systemError, remark: "unknown config key '\(unknown.key)'")
        }
        do { try broker.updateConfig(pairs) } catch { return .response(.systemError, remark: error.description) }
        return .response()
    }
}
