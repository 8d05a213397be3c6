//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon
import RocketMQRemoting

/// Builders for every request the client sends, one function per request code.
///
/// Kept apart from the network calls so tests can compare each request's ext fields with the header
/// tables of PROTOCOL.md §4 without a server. Header types live in RocketMQRemoting; this only picks
/// codes, headers and bodies as Java's `MQClientAPIImpl` does.
public enum ClientRequests {
    public static func getRouteInfo(topic: String) -> RemotingCommand {
        // acceptStandardJsonOnly: we always want quoted numeric map keys (PROTOCOL.md §5.2).
        .request(.getRouteInfoByTopic, header: GetRouteInfoRequestHeader(topic: topic, acceptStandardJsonOnly: true))
    }

    /// A send; a reply (property `MSG_TYPE=reply`) goes as SEND_REPLY_MESSAGE_V2, as Java's client does.
    public static func sendMessage(_ header: SendMessageRequestHeader, body: [UInt8], reply: Bool = false)
        -> RemotingCommand
    {
        let code: RequestCode = reply ? .sendReplyMessageV2 : header.batch ? .sendBatchMessage : .sendMessageV2
        return .request(code, header: SendMessageRequestHeaderV2(header), body: ByteBuffer(bytes: body))
    }

    public static func heartbeat(_ data: HeartbeatData) -> RemotingCommand {
        .request(.heartBeat, body: data.encodedBody())
    }

    public static func unregisterClient(clientID: String, producerGroup: String?, consumerGroup: String?)
        -> RemotingCommand
    {
        .request(.unregisterClient, header: UnregisterClientRequestHeader(
            clientID: clientID, producerGroup: producerGroup, consumerGroup: consumerGroup))
    }

    public static func pullMessage(_ header: PullMessageRequestHeader) -> RemotingCommand {
        .request(.pullMessage, header: header)
    }

    public static func queryConsumerOffset(group: String, queue: MessageQueue) -> RemotingCommand {
        .request(.queryConsumerOffset, header: QueryConsumerOffsetRequestHeader(
            consumerGroup: group, topic: queue.topic, queueID: queue.queueID))
    }

    public static func updateConsumerOffset(group: String, queue: MessageQueue, offset: Int64) -> RemotingCommand {
        .request(.updateConsumerOffset, header: UpdateConsumerOffsetRequestHeader(
            consumerGroup: group, topic: queue.topic, queueID: queue.queueID, commitOffset: offset))
    }

    public static func getMaxOffset(queue: MessageQueue) -> RemotingCommand {
        .request(.getMaxOffset, header: GetMaxOffsetRequestHeader(topic: queue.topic, queueID: queue.queueID))
    }

    public static func getMinOffset(queue: MessageQueue) -> RemotingCommand {
        .request(.getMinOffset, header: GetMinOffsetRequestHeader(topic: queue.topic, queueID: queue.queueID))
    }

    public static func searchOffset(queue: MessageQueue, timestamp: Int64) -> RemotingCommand {
        .request(.searchOffsetByTimestamp, header: SearchOffsetRequestHeader(
            topic: queue.topic, queueID: queue.queueID, timestamp: timestamp))
    }

    public static func getConsumerList(group: String) -> RemotingCommand {
        .request(.getConsumerListByGroup, header: GetConsumerListByGroupRequestHeader(consumerGroup: group))
    }

    public static func consumerSendMessageBack(_ message: MessageExt, group: String, delayLevel: Int32,
                                               maxReconsumeTimes: Int32) -> RemotingCommand {
        .request(.consumerSendMsgBack, header: ConsumerSendMsgBackRequestHeader(
            offset: message.commitLogOffset, group: group, delayLevel: delayLevel, originMsgID: message.msgID,
            originTopic: message.topic, unitMode: false, maxReconsumeTimes: maxReconsumeTimes))
    }

    public static func endTransaction(_ header: EndTransactionRequestHeader, remark: String?) -> RemotingCommand {
        var request = RemotingCommand.request(.endTransaction, header: header)
        request.remark = remark
        return request
    }

    public static func lockBatch(group: String, clientID: String, queues: [MessageQueue]) -> RemotingCommand {
        .request(.lockBatchMQ, body: LockBatchRequestBody(consumerGroup: group, clientID: clientID, mqSet: queues)
            .encodedBody())
    }

    /// UnlockBatchRequestBody has the same keys as LockBatchRequestBody (PROTOCOL.md §5.3).
    public static func unlockBatch(group: String, clientID: String, queues: [MessageQueue]) -> RemotingCommand {
        .request(.unlockBatchMQ, body: LockBatchRequestBody(consumerGroup: group, clientID: clientID, mqSet: queues)
            .encodedBody())
    }

    public static func createTopic(_ config: TopicConfig, defaultTopic: String = MixAll.autoCreateTopicKeyTopic)
        -> RemotingCommand
    {
        .request(.updateAndCreateTopic, header: CreateTopicRequestHeader(
            topic: config.topicName, defaultTopic: defaultTopic, readQueueNums: config.readQueueNums,
            writeQueueNums: config.writeQueueNums, perm: config.perm, topicFilterType: config.topicFilterType,
            topicSysFlag: config.topicSysFlag, order: config.order))
    }

    public static func queryMessage(topic: String, key: String, maxNum: Int32, begin: Int64, end: Int64,
                                    uniqueKey: Bool) -> RemotingCommand {
        var request = RemotingCommand.request(.queryMessage, header: QueryMessageRequestHeader(
            topic: topic, key: key, maxNum: maxNum, beginTimestamp: begin, endTimestamp: end))
        if uniqueKey { request.extFields["_UNIQUE_KEY_QUERY"] = "true" }
        return request
    }

    public static func viewMessage(commitLogOffset: Int64) -> RemotingCommand {
        .request(.viewMessageByID, header: ViewMessageRequestHeader(offset: commitLogOffset))
    }
}
