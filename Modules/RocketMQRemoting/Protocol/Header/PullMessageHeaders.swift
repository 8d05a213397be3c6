//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// `PullMessageRequestHeader` (codes 11, 361).
public struct PullMessageRequestHeader: CommandCustomHeader {
    public var consumerGroup: String
    public var topic: String
    public var queueID: Int32
    public var queueOffset: Int64
    public var maxMsgNums: Int32
    public var sysFlag: Int32
    public var commitOffset: Int64
    public var suspendTimeoutMillis: Int64
    public var subscription: String?
    public var subVersion: Int64
    public var expressionType: String?

    public init(consumerGroup: String, topic: String, queueID: Int32, queueOffset: Int64, maxMsgNums: Int32,
                sysFlag: Int32, commitOffset: Int64, suspendTimeoutMillis: Int64, subscription: String?,
                subVersion: Int64, expressionType: String?) {
        self.consumerGroup = consumerGroup
        self.topic = topic
        self.queueID = queueID
        self.queueOffset = queueOffset
        self.maxMsgNums = maxMsgNums
        self.sysFlag = sysFlag
        self.commitOffset = commitOffset
        self.suspendTimeoutMillis = suspendTimeoutMillis
        self.subscription = subscription
        self.subVersion = subVersion
        self.expressionType = expressionType
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        consumerGroup = try r.string("consumerGroup")
        topic = try r.string("topic")
        queueID = try r.int32("queueId")
        queueOffset = try r.int64("queueOffset")
        maxMsgNums = r.optionalInt32("maxMsgNums") ?? 32
        sysFlag = r.optionalInt32("sysFlag") ?? 0
        commitOffset = r.optionalInt64("commitOffset") ?? 0
        suspendTimeoutMillis = r.optionalInt64("suspendTimeoutMillis") ?? 0
        subscription = r.optionalString("subscription")
        subVersion = r.optionalInt64("subVersion") ?? 0
        expressionType = r.optionalString("expressionType")
    }

    public func encode(into f: inout ExtFields) {
        f["consumerGroup"] = consumerGroup
        f["topic"] = topic
        f["queueId"] = String(queueID)
        f["queueOffset"] = String(queueOffset)
        f["maxMsgNums"] = String(maxMsgNums)
        f["sysFlag"] = String(sysFlag)
        f["commitOffset"] = String(commitOffset)
        f["suspendTimeoutMillis"] = String(suspendTimeoutMillis)
        f.put("subscription", subscription)
        f["subVersion"] = String(subVersion)
        f.put("expressionType", expressionType)
    }
}

/// `PullMessageResponseHeader`.
public struct PullMessageResponseHeader: CommandCustomHeader {
    public var suggestWhichBrokerID: Int64
    public var nextBeginOffset: Int64
    public var minOffset: Int64
    public var maxOffset: Int64

    public init(suggestWhichBrokerID: Int64, nextBeginOffset: Int64, minOffset: Int64, maxOffset: Int64) {
        self.suggestWhichBrokerID = suggestWhichBrokerID
        self.nextBeginOffset = nextBeginOffset
        self.minOffset = minOffset
        self.maxOffset = maxOffset
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        suggestWhichBrokerID = r.optionalInt64("suggestWhichBrokerId") ?? 0
        nextBeginOffset = try r.int64("nextBeginOffset")
        minOffset = try r.int64("minOffset")
        maxOffset = try r.int64("maxOffset")
    }

    public func encode(into f: inout ExtFields) {
        f["suggestWhichBrokerId"] = String(suggestWhichBrokerID)
        f["nextBeginOffset"] = String(nextBeginOffset)
        f["minOffset"] = String(minOffset)
        f["maxOffset"] = String(maxOffset)
    }
}
