//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon
import RocketMQRemoting

/// HEART_BEAT (34), UNREGISTER_CLIENT (35), CHECK_CLIENT_CONFIG (46) (Java `ClientManageProcessor`).
struct ClientManageProcessor: RequestProcessor {
    let broker: BrokerController

    func processRequest(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand? {
        switch request.requestCode {
        case .heartBeat: return try await heartbeat(request, context: context)
        case .unregisterClient: return try unregister(request, context: context)
        case .checkClientConfig: return try checkClientConfig(request)
        default:
            // Only reachable if the processor table routes a code here that this switch does not list.
            return .response(.requestCodeNotSupported, remark: " request type \(request.code) not supported")
        }
    }

    func heartbeat(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand {
        let data = try HeartbeatData(body: request.body)
        let c = broker.config
        let client = ClientChannelInfo(channel: context.channel, clientID: data.clientID, language: request.language,
                                       version: request.version, lastUpdateTimestamp: Clock.millis())
        for consumer in data.consumerDataSet {
            for sub in consumer.subscriptionDataSet where !ExpressionType.isTagType(sub.expressionType) {
                if case .failure(let refusal) = broker.messageFilter(for: sub) {
                    return .response(refusal.responseCode, remark: refusal.remark)
                }
            }
            if let groupConfig = broker.subscriptionGroupManager.findOrCreate(consumer.groupName,
                                                                              autoCreate: c.autoCreateSubscriptionGroup) {
                let retry = MixAll.retryTopic(consumer.groupName)
                let (_, created) = broker.topicConfigManager.createIfAbsent(
                    retry, queueNums: max(1, groupConfig.retryQueueNums), perm: PermName.read | PermName.write)
                if created { await broker.registerBrokerAll() }
            }
            broker.consumerManager.register(
                group: consumer.groupName, client: client, consumeType: consumer.consumeType,
                messageModel: consumer.messageModel, consumeFromWhere: consumer.consumeFromWhere,
                subscriptions: consumer.subscriptionDataSet, notify: c.notifyConsumerIdsChangedEnable)
        }
        for producer in data.producerDataSet {
            broker.producerManager.register(group: producer.groupName, client: client)
        }
        return .response()
    }

    func unregister(_ request: RemotingCommand, context: RequestContext) throws -> RemotingCommand {
        let h = try request.decodeHeader(UnregisterClientRequestHeader.self)
        if let group = h.producerGroup, !group.isEmpty {
            broker.producerManager.unregister(group: group, channelID: context.channelID)
        }
        if let group = h.consumerGroup, !group.isEmpty {
            let notify = broker.config.notifyConsumerIdsChangedEnable
                && (broker.subscriptionGroupManager.find(group)?.notifyConsumerIdsChangedEnable ?? true)
            broker.consumerManager.unregister(group: group, channelID: context.channelID, notify: notify)
        }
        return .response()
    }

    /// The Java client's pre-check before an SQL92 subscription.
    func checkClientConfig(_ request: RemotingCommand) throws -> RemotingCommand {
        let bytes = request.bodyBytes
        let json: JSONValue
        do { json = try JSONParser.parse(bytes) } catch { throw RemotingError.invalidBody("\(error)") }
        guard let subJSON = json["subscriptionData"], let sub = try? SubscriptionData(json: subJSON) else {
            return .response()
        }
        if ExpressionType.isTagType(sub.expressionType) { return .response() }
        if case .failure(let refusal) = broker.messageFilter(for: sub) {
            return .response(refusal.responseCode, remark: refusal.remark)
        }
        return .response()
    }
}
