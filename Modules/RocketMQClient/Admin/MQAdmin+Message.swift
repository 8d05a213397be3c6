//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQCompression
import RocketMQRemoting

/// Finding stored messages: by key, by unique key, by offset id, by queue offset.
extension MQAdmin {
    /// QUERY_MESSAGE on every broker of the topic (index lookup by business key).
    public func queryMessage(topic: String, key: String, maxNum: Int32 = 32, begin: Int64 = 0,
                             end: Int64 = Int64.max) async throws(ClientError) -> [MessageExt] {
        try await query(topic: topic, key: key, maxNum: maxNum, begin: begin, end: end, uniqueKey: false)
    }

    /// QUERY_MESSAGE with `_UNIQUE_KEY_QUERY=true`: the message(s) whose UNIQ_KEY is `msgID`.
    public func queryMessageByUniqueKey(topic: String, msgID: String) async throws(ClientError) -> [MessageExt] {
        let found = try await query(topic: topic, key: msgID, maxNum: 32, begin: 0, end: Int64.max, uniqueKey: true)
        return found.filter { $0.msgID == msgID }
    }

    private func query(topic: String, key: String, maxNum: Int32, begin: Int64, end: Int64, uniqueKey: Bool)
        async throws(ClientError) -> [MessageExt]
    {
        var result: [MessageExt] = []
        for (brokerName, address) in try await masterAddresses(topic: topic) {
            let response = try await api.invoke(address, ClientRequests.queryMessage(
                topic: topic, key: key, maxNum: maxNum, begin: begin, end: end, uniqueKey: uniqueKey),
                timeoutMillis: 15_000)
            if response.responseCode == .queryNotFound { continue }
            try expectSuccess(response)
            guard let body = response.body, let messages = try? MessageDecoder.decodeAll(body) else { continue }
            for var m in messages where m.topic == topic {
                m.brokerName = brokerName
                Self.decompressBody(&m)
                result.append(m)
            }
        }
        return result
    }

    /// VIEW_MESSAGE_BY_ID: the store host and commit-log offset come from the offset id itself.
    public func viewMessage(offsetMsgID: String) async throws(ClientError) -> MessageExt {
        guard let decoded = MessageID.decodeOffsetMessageID(offsetMsgID) else {
            throw .illegalArgument("\(offsetMsgID) is not an offset message id (32 or 56 hex characters)")
        }
        let address = "\(decoded.storeHost.hostString):\(decoded.storeHost.port)"
        let response = try await api.invokeExpectingSuccess(
            address, ClientRequests.viewMessage(commitLogOffset: decoded.commitLogOffset))
        guard let body = response.body, var message = try? MessageDecoder.decodeAll(body).first else {
            throw .remoting("cannot decode the message from \(address)")
        }
        Self.decompressBody(&message)
        return message
    }

    /// Pulls the single message at `offset` of a queue (group TOOLS_CONSUMER, no offset commit).
    public func queryMessage(queue: MessageQueue, offset: Int64) async throws(ClientError) -> MessageExt? {
        let route = try await topicRoute(queue.topic)
        guard let address = route.brokerDatas.first(where: { $0.brokerName == queue.brokerName })?.selectBrokerAddr
        else { throw .illegalArgument("The broker[\(queue.brokerName)] not exist") }
        let header = PullMessageRequestHeader(
            consumerGroup: MixAll.toolsConsumerGroup, topic: queue.topic, queueID: queue.queueID, queueOffset: offset,
            maxMsgNums: 1, sysFlag: PullSysFlag.build(commitOffset: false, suspend: false, subscription: true),
            commitOffset: 0, suspendTimeoutMillis: 0, subscription: SubscriptionData.subAll, subVersion: 0,
            expressionType: ExpressionType.tag)
        let (status, _, body) = try await api.pullMessage(address: address, header: header, timeoutMillis: 10_000)
        guard status == .found, let body, var message = try? MessageDecoder.decodeAll(body).first else { return nil }
        message.brokerName = queue.brokerName
        return message
    }
}

extension MQAdmin {
    private static let compressors = CompressorRegistry.standard()

    /// Found messages come back with bodies as the producer sent them; Java's admin decodes them
    /// decompressed (`MessageDecoder.decodes`), and so do we. An unknown codec leaves the body as stored.
    static func decompressBody(_ message: inout MessageExt) {
        guard message.sysFlag & MessageSysFlag.compressed != 0,
              let plain = try? compressors.decompressBody(message.body, sysFlag: message.sysFlag)
        else { return }
        message.body = plain
    }
}
