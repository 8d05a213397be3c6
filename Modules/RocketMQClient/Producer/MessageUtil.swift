//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// Helpers for the responder side of request-reply (Java `MessageUtil`).
public enum MessageUtil {
    /// The reply to a received request message: topic `<cluster>_REPLY_TOPIC`, `MSG_TYPE=reply`, and the
    /// request's `CORRELATION_ID`, `REPLY_TO_CLIENT` and `TTL`. Send it with any started producer.
    /// - Throws: ``ClientError/illegalArgument(_:)`` when the request has no `CLUSTER` property (it was not
    ///   received from a broker, or is no request).
    public static func createReplyMessage(_ request: MessageExt, body: [UInt8]) throws(ClientError) -> Message {
        let p = request.properties
        guard let cluster = p[MessageConst.cluster] else {
            throw .illegalArgument(
                "create reply message fail, requestMessage error, property[\(MessageConst.cluster)] is null.")
        }
        var reply = Message(topic: MixAll.replyTopic(cluster: cluster), body: body)
        reply.properties[MessageConst.messageType] = MixAll.replyMessageFlag
        reply.properties[MessageConst.correlationID] = p[MessageConst.correlationID]
        reply.properties[MessageConst.messageReplyToClient] = p[MessageConst.messageReplyToClient]
        reply.properties[MessageConst.messageTTL] = p[MessageConst.messageTTL]
        return reply
    }
}
