//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQCompression
import RocketMQRemoting

/// A message ready for the wire: UNIQ_KEY set, body compressed if needed, sysflag chosen. Prepared
/// once so retries resend the same id and bytes.
struct OutgoingMessage: Sendable {
    var topic: String
    var flag: Int32
    var properties: [String: String]
    var body: [UInt8]
    var sysFlag: Int32
    var isBatch: Bool
    /// UNIQ_KEY, or the comma-joined UNIQ_KEYs of a batch.
    var msgID: String
}

enum CommunicationMode: Sendable { case sync, oneway }

/// The send paths (Java `DefaultMQProducerImpl.sendDefaultImpl` / `sendKernelImpl` / `sendSelectImpl`).
extension DefaultMQProducer {
    // MARK: Public API

    /// Sends synchronously, retrying `retryTimesWhenSendFailed` times on another broker for retryable
    /// failures (PROTOCOL.md §3.4).
    public func send(_ message: Message) async throws(ClientError) -> SendResult {
        let outgoing = try prepare(message)
        guard let result = try await sendDefault(outgoing, mode: .sync) else { throw .remoting("no send result") }
        return result
    }

    /// Sends to one given queue (no retry on another queue).
    public func send(_ message: Message, to queue: MessageQueue) async throws(ClientError) -> SendResult {
        let instance = try runningInstance()
        guard queue.topic == message.topic else {
            throw .illegalArgument("message's topic not equal mq's topic")
        }
        let outgoing = try prepare(message)
        guard let result = try await sendKernel(outgoing, queue: queue, mode: .sync, instance: instance,
                                                timeoutMillis: sendMsgTimeout)
        else { throw .remoting("no send result") }
        return result
    }

    /// Sends to the queue chosen by `selector` (ordered messages: same key → same queue).
    public func send<Arg: Sendable>(_ message: Message, selector: @Sendable ([MessageQueue], Message, Arg) -> MessageQueue,
                                    arg: Arg) async throws(ClientError) -> SendResult {
        let instance = try runningInstance()
        let outgoing = try prepare(message)
        let info = try await instance.topicPublishInfo(message.topic)
        let queue = selector(info.messageQueues, message, arg)
        guard info.messageQueues.contains(queue) else {
            throw .illegalArgument("the selector returned a queue that is not a queue of topic \(message.topic)")
        }
        guard let result = try await sendKernel(outgoing, queue: queue, mode: .sync, instance: instance,
                                                timeoutMillis: sendMsgTimeout)
        else { throw .remoting("no send result") }
        return result
    }

    /// Sends in the background and reports through `completion` (for code ported from Java's `SendCallback`).
    public func send(_ message: Message, completion: @escaping @Sendable (Result<SendResult, ClientError>) -> Void) {
        Task {
            do throws(ClientError) {
                completion(.success(try await self.send(message)))
            } catch {
                completion(.failure(error))
            }
        }
    }

    /// Sends without waiting for the broker's answer (no retries, no result).
    public func sendOneway(_ message: Message) async throws(ClientError) {
        let outgoing = try prepare(message)
        _ = try await sendDefault(outgoing, mode: .oneway)
    }

    /// Sends several messages of one topic in one request (SEND_BATCH_MESSAGE, `batch=true`).
    public func send(_ messages: [Message]) async throws(ClientError) -> SendResult {
        try MessageBatch.validate(messages)
        var stamped: [Message] = []
        for var message in messages {
            try Validators.checkMessage(message, maxMessageSize: maxMessageSize)
            if message.properties[MessageConst.uniqueClientMessageIDKeyIndex] == nil {
                message.properties[MessageConst.uniqueClientMessageIDKeyIndex] =
                    MessageClientIDSetter.shared.createUniqueID()
            }
            stamped.append(message)
        }
        let body = MessageBatch.encode(stamped)
        guard body.count <= maxMessageSize else {
            throw .illegalArgument("the message body size over max value, MAX: \(maxMessageSize)")
        }
        // Java's MessageBatch carries WAIT from the first message as its only property.
        let wait = stamped[0].waitStoreMsgOK ? "true" : "false"
        let outgoing = OutgoingMessage(
            topic: stamped[0].topic, flag: 0, properties: [MessageConst.waitStoreMsgOK: wait], body: body, sysFlag: 0,
            isBatch: true,
            msgID: stamped.compactMap { $0.properties[MessageConst.uniqueClientMessageIDKeyIndex] }.joined(separator: ","))
        guard let result = try await sendDefault(outgoing, mode: .sync) else { throw .remoting("no send result") }
        return result
    }

    /// Creates a topic on every master of the cluster that hosts `key`'s route (Java `MQAdminImpl.createTopic`).
    public func createTopic(key: String, topic: String, queueNum: Int, topicSysFlag: Int32 = 0) async throws(ClientError) {
        let instance = try runningInstance()
        try Validators.checkTopic(topic)
        guard let route = try await instance.api.topicRoute(key) else { throw .noRouteInfo(key) }
        let config = TopicConfig(topicName: topic, readQueueNums: Int32(queueNum), writeQueueNums: Int32(queueNum),
                                 perm: PermName.read | PermName.write, topicSysFlag: topicSysFlag)
        var created = false
        var lastError: ClientError?
        for broker in route.brokerDatas {
            guard let address = broker.brokerAddrs[MixAll.masterID] else { continue }
            do {
                _ = try await instance.api.invokeExpectingSuccess(address, ClientRequests.createTopic(config, defaultTopic: key))
                created = true
            } catch { lastError = error }
        }
        if !created { throw lastError ?? .noRouteInfo(key) }
    }

    // MARK: Internals

    /// Validates and stamps a single message: UNIQ_KEY, compression, prepared bit.
    func prepare(_ message: Message) throws(ClientError) -> OutgoingMessage {
        let s = settings.withLock { $0 }
        try Validators.checkMessage(message, maxMessageSize: s.maxMessageSize)
        var properties = message.properties
        let uniq = properties[MessageConst.uniqueClientMessageIDKeyIndex] ?? MessageClientIDSetter.shared.createUniqueID()
        properties[MessageConst.uniqueClientMessageIDKeyIndex] = uniq
        var body = message.body
        var sysFlag: Int32 = 0
        do {
            if let compressed = try compressors.compressBodyIfNeeded(
                body, type: s.compressionType, level: s.compressLevel, threshold: s.compressMsgBodyOverHowmuch)
            {
                body = compressed.body
                sysFlag |= compressed.sysFlagBits
            }
        } catch {
            logger.warning("compression failed; sending uncompressed", metadata: ["error": "\(error)"])
        }
        if properties[MessageConst.transactionPrepared] == "true" { sysFlag |= MessageSysFlag.transactionPreparedType }
        return OutgoingMessage(topic: message.topic, flag: message.flag, properties: properties, body: body,
                               sysFlag: sysFlag, isBatch: false, msgID: uniq)
    }

    /// Response codes after which Java retries on another broker.
    static let retryResponseCodes: Set<ResponseCode> = [
        .topicNotExist, .serviceNotAvailable, .systemError, .noPermission, .noBuyerID, .notInCurrentUnit,
    ]

    /// - Parameter timeoutMillis: the whole send's budget; `sendMsgTimeout` when nil.
    func sendDefault(_ message: OutgoingMessage, mode: CommunicationMode, timeoutMillis: Int64? = nil)
        async throws(ClientError) -> SendResult?
    {
        let instance = try runningInstance()
        var s = settings.withLock { $0 }
        if let timeoutMillis { s.sendMsgTimeoutMillis = timeoutMillis }
        let begin = Clock.millis()
        let info = try await instance.topicPublishInfo(message.topic)
        let attempts = mode == .sync ? 1 + max(0, s.retryTimesWhenSendFailed) : 1
        var lastBroker: String?
        var lastError: ClientError?
        for _ in 0..<attempts {
            guard let queue = faultStrategy.select(info.messageQueues, lastBrokerName: lastBroker,
                                                   latencyEnabled: s.sendLatencyFaultEnable)
            else { throw .noRouteInfo(message.topic) }
            lastBroker = queue.brokerName
            let elapsed = Clock.millis() - begin
            if elapsed >= s.sendMsgTimeoutMillis {
                lastError = .timeout("send to topic \(message.topic) (\(elapsed) ms)")
                break
            }
            let attemptStart = Clock.millis()
            do {
                let result = try await sendKernel(message, queue: queue, mode: mode, instance: instance,
                                                  timeoutMillis: s.sendMsgTimeoutMillis - elapsed)
                faultStrategy.update(brokerName: queue.brokerName, latencyMillis: Clock.millis() - attemptStart,
                                     isolation: false)
                if let result, result.sendStatus != .sendOK, s.retryAnotherBrokerWhenNotStoreOK {
                    lastError = nil
                    continue
                }
                return result
            } catch {
                lastError = error
                switch error {
                case .broker(let e):
                    faultStrategy.update(brokerName: queue.brokerName, latencyMillis: Clock.millis() - attemptStart,
                                         isolation: false)
                    if !Self.retryResponseCodes.contains(e.code) { throw error }
                case .remoting, .timeout:
                    faultStrategy.update(brokerName: queue.brokerName, latencyMillis: Clock.millis() - attemptStart,
                                         isolation: true)
                default:
                    throw error
                }
                logger.info("send failed, trying another broker",
                            metadata: ["rocketmq.topic": "\(message.topic)", "broker": "\(queue.brokerName)",
                                       "error": "\(error)"])
            }
        }
        throw lastError ?? .remoting("send to topic \(message.topic) failed")
    }

    /// One request to one broker.
    func sendKernel(_ message: OutgoingMessage, queue: MessageQueue, mode: CommunicationMode,
                    instance: MQClientInstance, timeoutMillis: Int64) async throws(ClientError) -> SendResult? {
        guard let address = await instance.masterAddress(queue.brokerName, topic: message.topic) else {
            throw .illegalArgument("The broker[\(queue.brokerName)] not exist")
        }
        let s = settings.withLock { $0 }
        var properties = message.properties
        var reconsumeTimes: Int32 = 0
        var maxReconsumeTimes: Int32?
        if MixAll.isRetryTopic(message.topic) {
            // Consumers re-sending a failed message pass these as properties; the header carries them.
            if let v = properties.removeValue(forKey: MessageConst.reconsumeTime), let n = Int32(v) { reconsumeTimes = n }
            if let v = properties.removeValue(forKey: MessageConst.maxReconsumeTimes) { maxReconsumeTimes = Int32(v) }
        }
        let header = SendMessageRequestHeader(
            producerGroup: s.producerGroup, topic: message.topic, defaultTopic: s.createTopicKey,
            defaultTopicQueueNums: s.defaultTopicQueueNums, queueID: queue.queueID, sysFlag: message.sysFlag,
            bornTimestamp: Clock.millis(), flag: message.flag, properties: MessageProperties.encode(properties),
            reconsumeTimes: reconsumeTimes, unitMode: false, batch: message.isBatch,
            maxReconsumeTimes: maxReconsumeTimes, brokerName: queue.brokerName)
        let reply = properties[MessageConst.messageType] == MixAll.replyMessageFlag
        switch mode {
        case .oneway:
            try await instance.api.sendMessageOneway(address: address, header: header, body: message.body, reply: reply)
            return nil
        case .sync:
            let begin = Clock.millis()
            let result = try await instance.api.sendMessage(address: address, brokerName: queue.brokerName,
                                                            header: header, body: message.body, uniqueID: message.msgID,
                                                            timeoutMillis: max(1, timeoutMillis), reply: reply)
            if let trace = runtime.withLock({ $0.traceDispatcher }), message.topic != trace.traceTopic {
                traceSend(message, properties: properties, result: result, brokerAddress: address, begin: begin,
                          group: s.producerGroup, to: trace)
            }
            return result
        }
    }
}

extension DefaultMQProducer {
    /// A Pub record of a successful send (Java `SendMessageTraceHookImpl`); none when the broker switched
    /// tracing off (`TRACE_ON=false`) or sent no region.
    func traceSend(_ message: OutgoingMessage, properties: [String: String], result: SendResult, brokerAddress: String,
                   begin: Int64, group: String, to dispatcher: AsyncTraceDispatcher) {
        guard let region = result.regionID, result.traceOn else { return }
        var bean = TraceBean()
        bean.topic = message.topic
        bean.tags = properties[MessageConst.tags]
        bean.keys = properties[MessageConst.keys]
        bean.storeHost = brokerAddress
        bean.bodyLength = message.body.count
        bean.msgID = result.msgID
        bean.offsetMsgID = result.offsetMsgID
        if properties[MessageConst.transactionPrepared] == "true" {
            bean.msgType = .transactionHalf
        } else if properties[MessageConst.delayTimeLevel] != nil || properties[MessageConst.timerDeliverMS] != nil {
            bean.msgType = .delay
        }
        var ctx = TraceContext(traceType: .pub, timeStamp: begin, beans: [bean])
        ctx.regionID = region
        ctx.groupName = group
        ctx.costTime = Int(Clock.millis() - begin)
        ctx.isSuccess = result.sendStatus == .sendOK
        dispatcher.append(ctx)
    }
}
