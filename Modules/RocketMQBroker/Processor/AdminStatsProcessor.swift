//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon
import RocketMQRemoting
import RocketMQStore

/// Offsets, statistics, connections, offset reset and queue locks (Java `AdminBrokerProcessor`, second half).
struct AdminStatsProcessor {
    let broker: BrokerController

    func processRequest(_ request: RemotingCommand, context: RequestContext) throws -> RemotingCommand? {
        let store = broker.store
        switch request.requestCode {
        case .getMaxOffset:
            let h = try request.decodeHeader(GetMaxOffsetRequestHeader.self)
            return .response(header: OffsetResponseHeader(offset: store.maxOffsetInQueue(topic: h.topic, queueID: h.queueID)))
        case .getMinOffset:
            let h = try request.decodeHeader(GetMinOffsetRequestHeader.self)
            return .response(header: OffsetResponseHeader(offset: store.minOffsetInQueue(topic: h.topic, queueID: h.queueID)))
        case .searchOffsetByTimestamp:
            let h = try request.decodeHeader(SearchOffsetRequestHeader.self)
            let offset = store.offsetInQueueByTime(topic: h.topic, queueID: h.queueID, timestamp: h.timestamp)
            return .response(header: OffsetResponseHeader(offset: offset))
        case .getEarliestMsgStoretime:
            let h = try request.decodeHeader(GetEarliestMsgStoretimeRequestHeader.self)
            let t = store.earliestMessageTime(topic: h.topic, queueID: h.queueID)
            return .response(header: GetEarliestMsgStoretimeResponseHeader(timestamp: t))
        case .getTopicStatsInfo:
            let h = try request.decodeHeader(GetTopicStatsInfoRequestHeader.self)
            guard let config = broker.topicConfigManager.select(h.topic) else {
                return .response(.topicNotExist, remark: "topic[\(h.topic)] not exist")
            }
            var table: [MessageQueue: TopicStatsTable.Offsets] = [:]
            for q in 0..<config.writeQueueNums {
                let maxOffset = store.maxOffsetInQueue(topic: h.topic, queueID: q)
                let last = maxOffset > 0 ? store.messageStoreTimestamp(topic: h.topic, queueID: q, consumeQueueOffset: maxOffset - 1) : 0
                table[MessageQueue(topic: h.topic, brokerName: broker.config.brokerName, queueID: q)] =
                    .init(minOffset: store.minOffsetInQueue(topic: h.topic, queueID: q), maxOffset: maxOffset, lastUpdateTimestamp: last)
            }
            return .response(body: TopicStatsTable(offsetTable: table).encodedBody())
        case .getConsumeStats:
            return try consumeStats(request)
        case .getConsumerConnectionList:
            let h = try request.decodeHeader(GetConsumerConnectionListRequestHeader.self)
            guard let info = broker.consumerManager.group(h.consumerGroup), !info.channels.isEmpty else {
                return .response(.consumerNotOnline, remark: "the consumer group[\(h.consumerGroup)] not online")
            }
            let connections = info.channels.values.map {
                ConnectionInfo(clientID: $0.clientID, clientAddr: $0.remoteAddress, language: $0.language.name, version: $0.version)
            }.sorted { $0.clientID < $1.clientID }
            return .response(body: ConsumerConnection(
                connectionSet: connections, subscriptionTable: info.subscriptions, consumeType: info.consumeType,
                messageModel: info.messageModel, consumeFromWhere: info.consumeFromWhere).encodedBody())
        case .getProducerConnectionList:
            let h = try request.decodeHeader(GetProducerConnectionListRequestHeader.self)
            let channels = broker.producerManager.channels(group: h.producerGroup)
            guard !channels.isEmpty else {
                return .response(.systemError, remark: "the producer group[\(h.producerGroup)] not exist")
            }
            return .response(body: ProducerConnection(connectionSet: channels.map {
                ConnectionInfo(clientID: $0.clientID, clientAddr: $0.remoteAddress, language: $0.language.name, version: $0.version)
            }).encodedBody())
        case .invokeBrokerToResetOffset:
            return try resetOffset(request)
        case .getAllConsumerOffset:
            let t = broker.consumerOffsetManager.snapshot
            let json = JSONValue.object([("offsetTable", .object(t.sorted { $0.key < $1.key }.map { k, v in
                (k, .object(v.sorted { $0.key < $1.key }.map { (String($0.key), .int($0.value)) }))
            }))])
            return .response(body: ByteBuffer(bytes: JSONWriter.bytes(json)))
        case .queryTopicConsumeByWho:
            let h = try request.decodeHeader(QueryTopicConsumeByWhoRequestHeader.self)
            let groups = Set(broker.consumerManager.groups(subscribing: h.topic)).union(broker.consumerOffsetManager.groups(ofTopic: h.topic))
            return .response(body: GroupList(groupList: groups.sorted()).encodedBody())
        case .lockBatchMQ:
            let body = try LockBatchRequestBody(body: request.body)
            let locked = broker.rebalanceLockManager.tryLockBatch(group: body.consumerGroup, queues: body.mqSet,
                                                                   clientID: body.clientID)
            return .response(body: LockBatchResponseBody(lockOKMQSet: locked).encodedBody())
        case .unlockBatchMQ:
            let body = try LockBatchRequestBody(body: request.body)
            broker.rebalanceLockManager.unlockBatch(group: body.consumerGroup, queues: body.mqSet, clientID: body.clientID)
            return .response()
        default:
            return .response(.requestCodeNotSupported, remark: " request type \(request.code) not supported")
        }
    }

    func consumeStats(_ request: RemotingCommand) throws -> RemotingCommand {
        let h = try request.decodeHeader(GetConsumeStatsRequestHeader.self)
        var topics = broker.consumerOffsetManager.topics(ofGroup: h.consumerGroup)
        if let t = h.topic, !t.isEmpty { topics = [t] }
        if let info = broker.consumerManager.group(h.consumerGroup), h.topic?.isEmpty ?? true {
            topics = Array(Set(topics).union(info.subscriptions.keys))
        }
        var table: [MessageQueue: OffsetWrapper] = [:]
        let store = broker.store
        for topic in topics {
            guard let config = broker.topicConfigManager.select(topic) else { continue }
            for q in 0..<config.readQueueNums {
                let brokerOffset = max(0, store.maxOffsetInQueue(topic: topic, queueID: q))
                let consumerOffset = max(0, broker.consumerOffsetManager.queryOffset(group: h.consumerGroup, topic: topic, queueID: q))
                let last = consumerOffset > 0 ? store.messageStoreTimestamp(topic: topic, queueID: q, consumeQueueOffset: consumerOffset - 1) : 0
                table[MessageQueue(topic: topic, brokerName: broker.config.brokerName, queueID: q)] =
                    OffsetWrapper(brokerOffset: brokerOffset, consumerOffset: consumerOffset, lastTimestamp: last)
            }
        }
        if table.isEmpty && broker.subscriptionGroupManager.find(h.consumerGroup) == nil {
            return .response(.subscriptionGroupNotExist, remark: "subscription group [\(h.consumerGroup)] does not exist")
        }
        return .response(body: ConsumeStats(offsetTable: table).encodedBody())
    }

    /// Backtracks a group's offsets to a time: stored on the broker and pushed to online consumers
    /// (RESET_CONSUMER_CLIENT_OFFSET, list form for C++ clients).
    func resetOffset(_ request: RemotingCommand) throws -> RemotingCommand {
        let h = try request.decodeHeader(ResetOffsetRequestHeader.self)
        guard let config = broker.topicConfigManager.select(h.topic) else {
            return .response(.topicNotExist, remark: "[reset-offset] topic[\(h.topic)] not exist")
        }
        var table: [MessageQueue: Int64] = [:]
        let store = broker.store
        for q in 0..<config.readQueueNums {
            let target = h.timestamp < 0 ? store.maxOffsetInQueue(topic: h.topic, queueID: q)
                : store.offsetInQueueByTime(topic: h.topic, queueID: q, timestamp: h.timestamp)
            let current = broker.consumerOffsetManager.queryOffset(group: h.group, topic: h.topic, queueID: q)
            let offset = (h.isForce || current < 0 || target < current) ? target : current
            table[MessageQueue(topic: h.topic, brokerName: broker.config.brokerName, queueID: q)] = offset
            broker.consumerOffsetManager.commitOffset(group: h.group, topic: h.topic, queueID: q, offset: offset)
        }
        let body = ResetOffsetBody(offsetTable: table)
        if let info = broker.consumerManager.group(h.group) {
            for client in info.channels.values where client.channel.isActive {
                let forC = client.language == .cpp
                let push = RemotingCommand.request(.resetConsumerClientOffset, header: h,
                                                   body: ByteBuffer(bytes: JSONWriter.bytes(body.toJSON(forC: forC))))
                let channel = client.channel
                Task { try? await PendingResponses.invokeOneway(push, on: channel) }
            }
        }
        return .response(body: ByteBuffer(bytes: JSONWriter.bytes(body.toJSON(forC: request.language == .cpp))))
    }
}
