//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon
import RocketMQRemoting
import RocketMQStore

/// SEND_MESSAGE (10), SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320) and CONSUMER_SEND_MSG_BACK (36)
/// (Java `SendMessageProcessor`). The header's `batch` flag, not the code, decides single vs batch.
struct SendMessageProcessor: RequestProcessor {
    let broker: BrokerController

    func processRequest(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand? {
        if request.requestCode == .consumerSendMsgBack {
            return try await consumerSendMsgBack(request, context: context)
        }
        let header = try Self.decodeSendHeader(request)
        let config = broker.configSnapshot
        let (step, created) = prepare(request, header: header, config: config.value, context: context)
        // A new topic is visible in routes before the producer hears back, so consumers find it at once.
        if created { await broker.registerBrokerAll() }
        let response: RemotingCommand
        switch step {
        case .answer(let refusal):
            response = refusal
        case .single(let inner, let waitStoreMsgOK, let counting):
            let result = await broker.putMessage(inner, waitStoreMsgOK: waitStoreMsgOK)
            counting?.record(result)
            response = sendResponse(result, queueID: inner.queueID, batch: false)
        case .batch(let batch, let counting):
            let result = await broker.putMessages(batch)
            counting?.record(result)
            response = sendResponse(result, queueID: batch.queueID, batch: true)
        }
        return withSendExtFields(response, config: config.value)
    }

    /// On the event loop when the store answers at once (ASYNC_FLUSH, no synchronous slave) and the
    /// checks cannot create a topic (a new one is registered with the name servers before the answer).
    func processRequestInline(_ request: RemotingCommand, context: RequestContext) throws -> InlineOutcome {
        guard request.requestCode != .consumerSendMsgBack else { return .needsTask }
        let config = broker.configSnapshot
        let store = config.value.store
        guard store.flushDiskType == .asyncFlush, store.brokerRole != .syncMaster else { return .needsTask }
        let header = try Self.decodeSendHeader(request)
        guard !MixAll.isRetryTopic(header.topic), broker.topicConfigManager.select(header.topic) != nil else {
            return .needsTask
        }
        let (step, _) = prepare(request, header: header, config: config.value, context: context)
        let response: RemotingCommand
        switch step {
        case .answer(let refusal):
            response = refusal
        case .single(let inner, _, let counting):
            let result = broker.putMessageNow(inner)
            counting?.record(result)
            response = sendResponse(result, queueID: inner.queueID, batch: false)
        case .batch(let batch, let counting):
            let result = broker.putMessagesNow(batch)
            counting?.record(result)
            response = sendResponse(result, queueID: batch.queueID, batch: true)
        }
        return .done(withSendExtFields(response, config: config.value))
    }

    static func decodeSendHeader(_ request: RemotingCommand) throws -> SendMessageRequestHeader {
        if request.code == RequestCode.sendMessage.rawValue {
            return try request.decodeHeader(SendMessageRequestHeader.self)
        }
        return try request.decodeHeader(SendMessageRequestHeaderV2.self).v1
    }

    /// Every send response carries MSG_REGION and TRACE_ON (Java clients read them without a null check).
    func withSendExtFields(_ response: RemotingCommand, config c: BrokerConfig) -> RemotingCommand {
        var r = response
        r.extFields["MSG_REGION"] = c.regionId
        r.extFields["TRACE_ON"] = c.traceOn ? "true" : "false"
        return r
    }

    /// A send checked and built, before the store.
    enum SendStep {
        /// Refused (the response says why).
        case answer(RemotingCommand)
        /// `counting`: where the stored records are counted (metrics on, not a retry/DLQ topic).
        case single(MessageExtBrokerInner, waitStoreMsgOK: Bool, counting: IncomingCount?)
        case batch(MessageExtBatch, counting: IncomingCount?)
    }

    /// Java `sendMessage`/`sendBatchMessage` up to the store: checks, retry/DLQ routing, the inner
    /// message. `created`: the checks created a topic, which the caller registers.
    func prepare(_ request: RemotingCommand, header: SendMessageRequestHeader, config c: BrokerConfig,
                 context: RequestContext) -> (SendStep, created: Bool)
    {
        var header = header
        let (topicConfig, topicMetrics, refusal, checkCreated) = msgCheck(&header, config: c, context: context)
        var created = checkCreated
        if let refusal { return (.answer(refusal), created) }
        guard var topicConfig else { return (.answer(.response(.systemError, remark: "topic config missing")), created) }
        let body = request.body ?? ByteBuffer()
        let bornHost = SocketAddressBytes(context.remoteAddress)
        var properties = MessageProperties.decode(header.properties ?? "")

        if header.batch {
            guard !MixAll.isRetryTopic(header.topic) else {
                return (.answer(.response(.messageIllegal, remark: "batch request does not support retry group \(header.topic)")), created)
            }
            // Upstream refuses a batch whose request carries a delay level (members' own are ignored).
            if let level = properties[MessageConst.delayTimeLevel].flatMap(Int.init), level > 0 {
                return (.answer(sendResponse(PutMessageResult(status: .messageIllegal), queueID: header.queueID, batch: true)), created)
            }
            properties[MessageConst.cluster] = c.brokerClusterName
            guard let batch = MessageExtBatch.expand(
                body: body, topic: header.topic, queueID: header.queueID, sysFlag: header.sysFlag,
                bornTimestamp: header.bornTimestamp, bornHost: bornHost, storeHost: broker.storeHost,
                extraProperties: MessageProperties.encode(properties))
            else { return (.answer(.response(.messageIllegal, remark: "the batch body is malformed")), created) }
            guard !batch.messages.isEmpty else { return (.answer(.response(.messageIllegal, remark: "the batch is empty")), created) }
            let counting = topicMetrics.map {
                IncomingCount(handle: $0, type: MetricsMessageType(transaction: false, properties: properties))
            }
            return (.batch(batch, counting: counting), created)
        }

        let waitStoreMsgOK = properties.removeValue(forKey: MessageConst.waitStoreMsgOK).map { $0 != "false" } ?? true
        properties[MessageConst.cluster] = c.brokerClusterName
        let reconsumeTimes = header.reconsumeTimes ?? 0
        if MixAll.isRetryTopic(header.topic) {
            let group = String(header.topic.dropFirst(MixAll.retryGroupTopicPrefix.count))
            guard let groupConfig = broker.subscriptionGroupManager.find(group) else {
                return (.answer(.response(.subscriptionGroupNotExist, remark: "subscription group not exist, \(group) http://rocketmq.apache.org/docs/faq/")), created)
            }
            var maxReconsumeTimes = groupConfig.retryMaxTimes
            if request.version >= MQVersion.v3_4_9, let m = header.maxReconsumeTimes { maxReconsumeTimes = m }
            if let p = properties[MessageConst.maxReconsumeTimes].flatMap(Int32.init) { maxReconsumeTimes = p }
            if reconsumeTimes >= maxReconsumeTimes {
                broker.metrics.recordSendToDLQ(group: group, topic: properties[MessageConst.retryTopic] ?? header.topic)
                let dlq = MixAll.dlqTopic(group)
                let (config, dlqCreated) = broker.topicConfigManager.createIfAbsent(dlq, queueNums: 1, perm: PermName.read | PermName.write)
                created = created || dlqCreated
                topicConfig = config
                header.topic = dlq
                header.queueID = 0
                properties.removeValue(forKey: MessageConst.delayTimeLevel)
            }
        }
        let transaction = properties[MessageConst.transactionPrepared] == "true"
        if transaction && c.rejectTransactionMessage {
            return (.answer(.response(.noPermission, remark: "the broker[\(c.brokerIP1)] sending transaction message is forbidden")), created)
        }
        var inner = MessageExtBrokerInner(
            topic: header.topic, queueID: header.queueID, flag: header.flag, body: body,
            propertiesString: MessageProperties.encode(properties),
            tagsCode: MessageExtBrokerInner.tagsString2tagsCode(properties[MessageConst.tags]),
            sysFlag: header.sysFlag | (topicConfig.topicFilterType == "MULTI_TAG" ? MessageSysFlag.multiTags : 0),
            bornTimestamp: header.bornTimestamp, bornHost: bornHost, storeHost: broker.storeHost,
            reconsumeTimes: reconsumeTimes)
        let halfMessage = transaction
            || MessageSysFlag.transactionValue(header.sysFlag) == MessageSysFlag.transactionPreparedType
        if halfMessage {
            inner = TransactionalMessageBridge.parseHalfMessage(inner)
        }
        // Upstream counts neither retry nor DLQ topics as incoming (topicMetrics is the requested topic's).
        let counting = MixAll.isRetryTopic(header.topic) || MixAll.isDLQTopic(header.topic)
            ? nil
            : topicMetrics.map {
                IncomingCount(handle: $0, type: MetricsMessageType(transaction: halfMessage, properties: properties))
            }
        return (.single(inner, waitStoreMsgOK: waitStoreMsgOK, counting: counting), created)
    }

    /// Java `msgCheck`: permissions, topic rules, auto-creation, queue id; with metrics on, also the
    /// topic's incoming counters, from the same lookup.
    func msgCheck(_ header: inout SendMessageRequestHeader, config c: BrokerConfig, context: RequestContext)
        -> (TopicConfig?, TopicInMetrics?, RemotingCommand?, created: Bool)
    {
        if !PermName.isWriteable(c.brokerPermission) {
            return refuse(.response(.noPermission, remark: "the broker[\(c.brokerIP1)] sending message is forbidden"))
        }
        if let remark = TopicValidator.validate(header.topic) { return refuse(.response(.systemError, remark: remark)) }
        if TopicValidator.isNotAllowedSendTopic(header.topic) {
            return refuse(.response(.noPermission, remark: "Sending message to topic[\(header.topic)] is forbidden."))
        }
        let selected = broker.topicConfigManager.selectForSend(header.topic)
        var topicConfig = selected?.0
        var topicMetrics = selected?.1
        var created = false
        if topicConfig == nil {
            if MixAll.isRetryTopic(header.topic) {
                (topicConfig, created) = broker.topicConfigManager.createIfAbsent(header.topic, queueNums: 1,
                                                                                   perm: PermName.read | PermName.write)
            } else if c.autoCreateTopicEnable {
                (topicConfig, created) = broker.topicConfigManager.createTopicInSendMessageMethod(
                    topic: header.topic, defaultTopic: header.defaultTopic, queueNums: header.defaultTopicQueueNums,
                    sysFlag: header.unitMode ? 1 : 0)
            }
            guard topicConfig != nil else {
                return refuse(.response(.topicNotExist,
                                       remark: "topic[\(header.topic)] not exist, apply first please! http://rocketmq.apache.org/docs/faq/"))
            }
            // Just created: its metrics handle is made by this second lookup, once.
            topicMetrics = broker.topicConfigManager.selectForSend(header.topic)?.1
        }
        guard let config = topicConfig else { return (nil, nil, nil, false) }
        if !PermName.isWriteable(config.perm) {
            return refuse(.response(.noPermission, remark: "the topic[\(header.topic)] sending message is forbidden"))
        }
        let queueNums = max(config.readQueueNums, config.writeQueueNums)
        if header.queueID >= queueNums {
            return refuse(.response(.systemError,
                                   remark: "request queueId[\(header.queueID)] is illegal, \(config.topicName) Producer: \(context.remoteAddressString)"))
        }
        if header.queueID < 0 { header.queueID = Int32.random(in: 0..<max(1, config.writeQueueNums)) }
        return (config, topicMetrics, nil, created)
    }

    func refuse(_ r: RemotingCommand) -> (TopicConfig?, TopicInMetrics?, RemotingCommand?, created: Bool) { (nil, nil, r, false) }

    /// Maps a store result to the send response (Java `handlePutMessageResult`).
    func sendResponse(_ result: PutMessageResult, queueID: Int32, batch: Bool) -> RemotingCommand {
        let code: ResponseCode
        switch result.status {
        case .putOK: code = .success
        case .flushDiskTimeout: code = .flushDiskTimeout
        case .flushSlaveTimeout: code = .flushSlaveTimeout
        case .slaveNotAvailable: code = .slaveNotAvailable
        case .createMappedFileFailed:
            return .response(.systemError, remark: "create mapped file failed, server is busy or broken.")
        case .messageIllegal, .propertiesSizeExceeded:
            return .response(.messageIllegal, remark: result.remark ?? "the message is illegal, maybe msg body or properties length not matched. msg body length limit \(broker.config.store.maxMessageSize)B, msg properties length limit 32KB.")
        case .serviceNotAvailable:
            return .response(.serviceNotAvailable, remark: result.remark ?? "service not available now. It may be caused by one of the following reasons: the broker's disk is full [\(diskUtil())], messages are put to the slave, message store has been shut down, etc.")
        case .osPageCacheBusy:
            return .response(.systemError, remark: "[PC_SYNCHRONIZED]broker busy, start flow control for a while")
        case .unknownError:
            return .response(.systemError, remark: result.remark ?? "UNKNOWN_ERROR")
        }
        guard let append = result.appendResult else { return .response(.systemError, remark: "no append result") }
        var msgID = append.msgID
        if batch {
            // One offset id per message, from the offsets the store wrote them at.
            msgID = append.recordOffsets
                .map { MessageID.offsetMessageID(storeHost: broker.storeHost, commitLogOffset: $0) }
                .joined(separator: ",")
        }
        return .response(code, header: SendMessageResponseHeader(msgID: msgID, queueID: queueID, queueOffset: append.logicsOffset))
    }

    /// Disk use of the commit-log, consume-queue and index folders as upstream's `diskUtil` prints it
    /// ("CL:  0.91 CQ:  0.91 INDEX:  0.91"), so operators see why a send was refused.
    func diskUtil() -> String {
        let store = broker.config.store
        func ratio(_ path: String) -> String {
            let value = store.diskUsageRatio(path)
            let hundredths = Int((value * 100).rounded())
            let sign = hundredths < 0 ? "-" : ""
            let magnitude = abs(hundredths)
            let fraction = magnitude % 100 < 10 ? "0\(magnitude % 100)" : "\(magnitude % 100)"
            let text = "\(sign)\(magnitude / 100).\(fraction)"
            return String(repeating: " ", count: max(0, 5 - text.count)) + text
        }
        return "CL: \(ratio(store.storePathCommitLog)) CQ: \(ratio(store.storePathConsumeQueue)) INDEX: \(ratio(store.storePathIndex))"
    }

    /// CONSUMER_SEND_MSG_BACK: a failed message goes to `%RETRY%group` with a delay, or to `%DLQ%group`.
    func consumerSendMsgBack(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand {
        let h = try request.decodeHeader(ConsumerSendMsgBackRequestHeader.self)
        let c = broker.config
        guard let groupConfig = broker.subscriptionGroupManager.find(h.group) else {
            return .response(.subscriptionGroupNotExist, remark: "subscription group not exist, \(h.group) http://rocketmq.apache.org/docs/faq/")
        }
        if !PermName.isWriteable(c.brokerPermission) {
            return .response(.noPermission, remark: "the broker[\(c.brokerIP1)] sending message is forbidden")
        }
        if groupConfig.retryQueueNums <= 0 { return .response() }
        var newTopic = MixAll.retryTopic(h.group)
        var queueID = Int32.random(in: 0..<groupConfig.retryQueueNums)
        let (retryConfig, created) = broker.topicConfigManager.createIfAbsent(
            newTopic, queueNums: groupConfig.retryQueueNums, perm: PermName.read | PermName.write)
        if created { await broker.registerBrokerAll() }
        if !PermName.isWriteable(retryConfig.perm) {
            return .response(.noPermission, remark: "the topic[\(newTopic)] sending message is forbidden")
        }
        guard let original = broker.store.lookMessageByOffset(h.offset) else {
            return .response(.systemError, remark: "look message by offset failed, \(h.offset)")
        }
        var properties = original.properties
        if properties[MessageConst.retryTopic] == nil { properties[MessageConst.retryTopic] = original.topic }
        properties[MessageConst.waitStoreMsgOK] = "false"
        var delayLevel = h.delayLevel
        var maxReconsumeTimes = groupConfig.retryMaxTimes
        if request.version >= MQVersion.v3_4_9, let m = h.maxReconsumeTimes { maxReconsumeTimes = m }
        if original.reconsumeTimes >= maxReconsumeTimes || delayLevel < 0 {
            broker.metrics.recordSendToDLQ(group: h.group, topic: properties[MessageConst.retryTopic] ?? original.topic)
            newTopic = MixAll.dlqTopic(h.group)
            queueID = 0
            let (dlqConfig, dlqCreated) = broker.topicConfigManager.createIfAbsent(newTopic, queueNums: 1,
                                                                                    perm: PermName.read | PermName.write)
            if dlqCreated { await broker.registerBrokerAll() }
            if !PermName.isWriteable(dlqConfig.perm) {
                return .response(.noPermission, remark: "the topic[\(newTopic)] sending message is forbidden")
            }
            properties.removeValue(forKey: MessageConst.delayTimeLevel)
        } else {
            if delayLevel == 0 { delayLevel = 3 + original.reconsumeTimes }
            properties[MessageConst.delayTimeLevel] = String(delayLevel)
        }
        if properties[MessageConst.originMessageID] == nil {
            properties[MessageConst.originMessageID] = h.originMsgID ?? original.msgID
        }
        properties.removeValue(forKey: MessageConst.waitStoreMsgOK)
        let inner = MessageExtBrokerInner(
            topic: newTopic, queueID: queueID, flag: original.flag, body: ByteBuffer(bytes: original.body),
            propertiesString: MessageProperties.encode(properties),
            tagsCode: MessageExtBrokerInner.tagsString2tagsCode(properties[MessageConst.tags]), sysFlag: original.sysFlag,
            bornTimestamp: original.bornTimestamp, bornHost: original.bornHost, storeHost: broker.storeHost,
            reconsumeTimes: original.reconsumeTimes + 1, preparedTransactionOffset: original.preparedTransactionOffset)
        let result = await broker.putMessage(inner, waitStoreMsgOK: false)
        switch result.status {
        case .putOK: return .response()
        default: return .response(.systemError, remark: result.remark ?? result.status.rawValue)
        }
    }
}
