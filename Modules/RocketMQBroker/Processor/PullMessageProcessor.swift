//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon
import RocketMQRemoting
import RocketMQStore

/// PULL_MESSAGE (11) and LITE_PULL_MESSAGE (361) with long polling (Java `PullMessageProcessor`).
///
/// A pull that finds nothing and carries the suspend flag is parked (a suspended task, no thread) until a
/// message for its queue is dispatched or its hold time ends, then re-run once without suspension.
struct PullMessageProcessor: RequestProcessor {
    let broker: BrokerController

    func processRequest(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand? {
        let h = try request.decodeHeader(PullMessageRequestHeader.self)
        let prepared: Prepared
        switch prepare(h, request: request, context: context) {
        case .refused(let r): return r
        case .ready(let p): prepared = p
        }
        let hasSuspend = h.sysFlag & PullSysFlag.suspend != 0
        let hasCommitOffset = h.sysFlag & PullSysFlag.commitOffset != 0
        let c = broker.config
        if hasCommitOffset && c.store.brokerRole != .slave {
            broker.consumerOffsetManager.commitOffset(group: h.consumerGroup, topic: h.topic, queueID: h.queueID,
                                                      offset: h.commitOffset)
        }
        var result = lookup(h, prepared: prepared)
        if Self.responseCode(result.status, requestOffset: h.queueOffset) == .pullNotFound && hasSuspend {
            let hold = c.longPollingEnable ? h.suspendTimeoutMillis : c.shortPollingTimeMills
            await broker.pullHold.hold(topic: h.topic, queueID: h.queueID, offset: h.queueOffset, timeoutMillis: hold,
                                       filter: prepared.filter) {
                broker.store.maxOffsetInQueue(topic: h.topic, queueID: h.queueID)
            }
            result = lookup(h, prepared: prepared)
        }
        return response(for: result, header: h, request: request, context: context,
                        suggest: suggestWhichBrokerID(result, groupConfig: prepared.groupConfig))
    }

    /// Which broker the client should pull from next (Java, net effect): the master, unless
    /// `slaveReadEnable` lets a consumer too far behind for memory go to `whichBrokerWhenConsumeSlowly`
    /// and others to the group's `brokerId`. A slave serves pulls either way (a client whose master is
    /// gone falls back to it).
    func suggestWhichBrokerID(_ result: GetMessageResult, groupConfig: SubscriptionGroupConfig) -> Int64 {
        guard broker.config.slaveReadEnable else { return MixAll.masterID }
        return result.suggestPullingFromSlave ? groupConfig.whichBrokerWhenConsumeSlowly : groupConfig.brokerID
    }

    struct Prepared {
        let filter: ExpressionMessageFilter
        let groupConfig: SubscriptionGroupConfig
    }

    enum Preparation {
        case refused(RemotingCommand)
        case ready(Prepared)
    }

    /// Java's checks before the store lookup: permissions, group, topic, queue id, subscription.
    func prepare(_ h: PullMessageRequestHeader, request: RemotingCommand, context: RequestContext) -> Preparation {
        let c = broker.config
        if !PermName.isReadable(c.brokerPermission) {
            return .refused(.response(.noPermission, remark: "the broker[\(c.brokerIP1)] pulling message is forbidden"))
        }
        guard let groupConfig = broker.subscriptionGroupManager.findOrCreate(h.consumerGroup, autoCreate: c.autoCreateSubscriptionGroup) else {
            return .refused(.response(.subscriptionGroupNotExist,
                                      remark: "subscription group [\(h.consumerGroup)] does not exist, http://rocketmq.apache.org/docs/faq/"))
        }
        if !groupConfig.consumeEnable {
            return .refused(.response(.noPermission, remark: "subscription group no permission, \(h.consumerGroup)"))
        }
        guard let topicConfig = broker.topicConfigManager.select(h.topic) ?? broker.topicKnownFromReplication(h.topic) else {
            return .refused(.response(.topicNotExist, remark: "topic[\(h.topic)] not exist, apply first please! http://rocketmq.apache.org/docs/faq/"))
        }
        if !PermName.isReadable(topicConfig.perm) {
            return .refused(.response(.noPermission, remark: "the topic[\(h.topic)] pulling message is forbidden"))
        }
        if h.queueID < 0 || h.queueID >= topicConfig.readQueueNums {
            return .refused(.response(.systemError,
                                      remark: "queueId[\(h.queueID)] is illegal, topic:[\(h.topic)] topicConfig.readQueueNums:[\(topicConfig.readQueueNums)] consumer:[\(context.remoteAddressString)]"))
        }
        let subscription: SubscriptionData
        if h.sysFlag & PullSysFlag.subscription != 0 {
            subscription = SubscriptionData.build(topic: h.topic, subString: h.subscription, type: h.expressionType,
                                                  subVersion: h.subVersion)
        } else {
            guard let info = broker.consumerManager.group(h.consumerGroup) else {
                return .refused(.response(.subscriptionNotExist, remark: "the consumer's group info not exist"))
            }
            if info.messageModel == .broadcasting && !groupConfig.consumeBroadcastEnable {
                return .refused(.response(.noPermission, remark: "the consumer group[\(h.consumerGroup)] can not consume by broadcast way"))
            }
            guard let sub = info.subscriptions[h.topic] else {
                return .refused(.response(.subscriptionNotExist, remark: "the consumer's subscription not exist"))
            }
            if sub.subVersion < h.subVersion {
                return .refused(.response(.subscriptionNotLatest, remark: "the consumer's subscription not latest"))
            }
            subscription = sub
        }
        switch broker.messageFilter(for: subscription) {
        case .success(let filter): return .ready(Prepared(filter: filter, groupConfig: groupConfig))
        case .failure(let refusal): return .refused(.response(refusal.responseCode, remark: refusal.remark))
        }
    }

    func lookup(_ h: PullMessageRequestHeader, prepared: Prepared) -> GetMessageResult {
        broker.store.getMessage(group: h.consumerGroup, topic: h.topic, queueID: h.queueID, offset: h.queueOffset,
                                maxMsgNums: Int(max(1, h.maxMsgNums)), filter: prepared.filter)
    }

    func response(for result: GetMessageResult, header h: PullMessageRequestHeader, request: RemotingCommand,
                  context: RequestContext, suggest: Int64 = MixAll.masterID) -> RemotingCommand {
        let code = Self.responseCode(result.status, requestOffset: h.queueOffset)
        let header = PullMessageResponseHeader(suggestWhichBrokerID: suggest, nextBeginOffset: result.nextBeginOffset,
                                               minOffset: result.minOffset, maxOffset: result.maxOffset)
        var body: ByteBuffer? = nil
        if code == .success {
            var buffer = ByteBufferAllocator().buffer(capacity: result.bufferTotalSize)
            for slice in result.messages { slice.withUnsafeBytes { buffer.writeBytes($0) } }
            if !broker.extensions.pullMessageHooks.isEmpty {
                let client = broker.consumerManager.channel(group: h.consumerGroup, channelID: context.channelID)
                var hookContext = PullHookContext(
                    consumerGroup: h.consumerGroup, topic: h.topic, queueID: h.queueID,
                    clientLanguage: client?.language ?? request.language, clientVersion: client?.version ?? request.version,
                    body: buffer.readBytes(length: buffer.readableBytes) ?? [], messageCount: result.messages.count)
                for hook in broker.extensions.pullMessageHooks { hook.pulled(&hookContext) }
                buffer = ByteBuffer(bytes: hookContext.body)
            }
            body = buffer
            broker.metrics.recordPull(topic: h.topic, group: h.consumerGroup, queueID: h.queueID,
                                      count: result.messages.count, bytes: result.bufferTotalSize,
                                      nextOffset: result.nextBeginOffset)
        }
        return .response(code, remark: result.status.rawValue, header: header, body: body)
    }
}

extension PullMessageProcessor {
    /// Upstream's store-status → response-code table (PROTOCOL.md §10.4).
    static func responseCode(_ status: GetMessageStatus, requestOffset: Int64) -> ResponseCode {
        switch status {
        case .found: return .success
        case .messageWasRemoving, .noMatchedMessage: return .pullRetryImmediately
        case .noMatchedLogicQueue, .noMessageInQueue: return requestOffset != 0 ? .pullOffsetMoved : .pullNotFound
        case .offsetFoundNull, .offsetOverflowOne: return .pullNotFound
        case .offsetOverflowBadly, .offsetTooSmall: return .pullOffsetMoved
        }
    }
}
