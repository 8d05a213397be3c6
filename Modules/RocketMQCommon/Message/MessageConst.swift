//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Property keys of RocketMQ's `MessageConst`: names travel on the wire and on disk unchanged.
public enum MessageConst {
    public static let keys = "KEYS"
    public static let tags = "TAGS"
    public static let waitStoreMsgOK = "WAIT"
    public static let delayTimeLevel = "DELAY"
    public static let retryTopic = "RETRY_TOPIC"
    public static let realTopic = "REAL_TOPIC"
    public static let realQueueID = "REAL_QID"
    public static let transactionPrepared = "TRAN_MSG"
    public static let producerGroup = "PGROUP"
    public static let minOffset = "MIN_OFFSET"
    public static let maxOffset = "MAX_OFFSET"
    public static let buyerID = "BUYER_ID"
    public static let originMessageID = "ORIGIN_MESSAGE_ID"
    public static let transferFlag = "TRANSFER_FLAG"
    public static let correctionFlag = "CORRECTION_FLAG"
    public static let mqReplyTopic = "MQ2_FLAG"
    public static let reconsumeTime = "RECONSUME_TIME"
    public static let msgRegion = "MSG_REGION"
    public static let traceSwitch = "TRACE_ON"
    public static let uniqueClientMessageIDKeyIndex = "UNIQ_KEY"
    public static let maxReconsumeTimes = "MAX_RECONSUME_TIMES"
    public static let consumeStartTimestamp = "CONSUME_START_TIME"
    public static let transactionPreparedQueueOffset = "TRAN_PREPARED_QUEUE_OFFSET"
    public static let transactionCheckTimes = "TRANSACTION_CHECK_TIMES"
    public static let checkImmunityTimeInSeconds = "CHECK_IMMUNITY_TIME_IN_SECONDS"
    public static let instanceID = "INSTANCE_ID"
    public static let cluster = "CLUSTER"
    /// Request-reply: the id pairing a reply with its request.
    public static let correlationID = "CORRELATION_ID"
    /// Request-reply: the client id of the requester, where the broker pushes the reply.
    public static let messageReplyToClient = "REPLY_TO_CLIENT"
    /// Request-reply: how long the requester waits, in milliseconds.
    public static let messageTTL = "TTL"
    public static let replyMessageArriveTime = "ARRIVE_TIME"
    public static let pushReplyTime = "PUSH_REPLY_TIME"
    /// `reply` (``MixAll/replyMessageFlag``) marks a reply, sent with SEND_REPLY_MESSAGE.
    public static let messageType = "MSG_TYPE"
    /// 5.x delivery time in epoch milliseconds (arbitrary-delay messages).
    public static let timerDeliverMS = "TIMER_DELIVER_MS"
    public static let timerDelaySec = "TIMER_DELAY_SEC"
    public static let timerDelayMS = "TIMER_DELAY_MS"
    public static let dlqOriginTopic = "DLQ_ORIGIN_TOPIC"
    public static let dlqOriginMessageID = "DLQ_ORIGIN_MESSAGE_ID"

    /// Separates name from value inside the properties string.
    public static let nameValueSeparator: Character = "\u{1}"
    /// Separates one property from the next.
    public static let propertySeparator: Character = "\u{2}"
}
