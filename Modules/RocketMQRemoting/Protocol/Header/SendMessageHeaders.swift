//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// `SendMessageRequestHeader` (code 10), also the broker's internal form of V2.
public struct SendMessageRequestHeader: CommandCustomHeader, Equatable {
    public var producerGroup: String
    public var topic: String
    public var defaultTopic: String
    public var defaultTopicQueueNums: Int32
    public var queueID: Int32
    public var sysFlag: Int32
    public var bornTimestamp: Int64
    public var flag: Int32
    public var properties: String?
    public var reconsumeTimes: Int32?
    public var unitMode: Bool
    public var batch: Bool
    public var maxReconsumeTimes: Int32?
    public var brokerName: String?

    public init(producerGroup: String, topic: String, defaultTopic: String = "TBW102", defaultTopicQueueNums: Int32 = 4,
                queueID: Int32, sysFlag: Int32 = 0, bornTimestamp: Int64, flag: Int32 = 0, properties: String?,
                reconsumeTimes: Int32? = 0, unitMode: Bool = false, batch: Bool = false,
                maxReconsumeTimes: Int32? = nil, brokerName: String? = nil) {
        self.producerGroup = producerGroup
        self.topic = topic
        self.defaultTopic = defaultTopic
        self.defaultTopicQueueNums = defaultTopicQueueNums
        self.queueID = queueID
        self.sysFlag = sysFlag
        self.bornTimestamp = bornTimestamp
        self.flag = flag
        self.properties = properties
        self.reconsumeTimes = reconsumeTimes
        self.unitMode = unitMode
        self.batch = batch
        self.maxReconsumeTimes = maxReconsumeTimes
        self.brokerName = brokerName
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        producerGroup = try r.string("producerGroup")
        topic = try r.string("topic")
        defaultTopic = r.optionalString("defaultTopic") ?? "TBW102"
        defaultTopicQueueNums = r.optionalInt32("defaultTopicQueueNums") ?? 4
        queueID = try r.int32("queueId")
        sysFlag = r.optionalInt32("sysFlag") ?? 0
        bornTimestamp = r.optionalInt64("bornTimestamp") ?? 0
        flag = r.optionalInt32("flag") ?? 0
        properties = r.optionalString("properties")
        reconsumeTimes = r.optionalInt32("reconsumeTimes")
        unitMode = r.bool("unitMode")
        batch = r.bool("batch")
        maxReconsumeTimes = r.optionalInt32("maxReconsumeTimes")
        brokerName = r.optionalString("bname")
    }

    public func encode(into f: inout ExtFields) {
        f["producerGroup"] = producerGroup
        f["topic"] = topic
        f["defaultTopic"] = defaultTopic
        f.put("defaultTopicQueueNums", defaultTopicQueueNums)
        f.put("queueId", queueID)
        f.put("sysFlag", sysFlag)
        f.put("bornTimestamp", bornTimestamp)
        f.put("flag", flag)
        f.put("properties", properties)
        f.put("reconsumeTimes", reconsumeTimes)
        f.put("unitMode", unitMode)
        f.put("batch", batch)
        f.put("maxReconsumeTimes", maxReconsumeTimes)
        f.put("bname", brokerName)
    }
}

/// `SendMessageRequestHeaderV2` (codes 310, 320): the same data under one-letter keys.
public struct SendMessageRequestHeaderV2: CommandCustomHeader {
    public var v1: SendMessageRequestHeader

    public init(_ v1: SendMessageRequestHeader) { self.v1 = v1 }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        v1 = SendMessageRequestHeader(
            producerGroup: try r.string("a"), topic: try r.string("b"), defaultTopic: r.optionalString("c") ?? "TBW102",
            defaultTopicQueueNums: r.optionalInt32("d") ?? 4, queueID: try r.int32("e"),
            sysFlag: r.optionalInt32("f") ?? 0, bornTimestamp: r.optionalInt64("g") ?? 0, flag: r.optionalInt32("h") ?? 0,
            properties: r.optionalString("i"), reconsumeTimes: r.optionalInt32("j"), unitMode: r.bool("k"),
            batch: r.bool("m"), maxReconsumeTimes: r.optionalInt32("l"), brokerName: r.optionalString("n"))
    }

    public func encode(into f: inout ExtFields) {
        f["a"] = v1.producerGroup
        f["b"] = v1.topic
        f["c"] = v1.defaultTopic
        f["d"] = String(v1.defaultTopicQueueNums)
        f["e"] = String(v1.queueID)
        f["f"] = String(v1.sysFlag)
        f["g"] = String(v1.bornTimestamp)
        f["h"] = String(v1.flag)
        f.put("i", v1.properties)
        f.put("j", v1.reconsumeTimes)
        f["k"] = v1.unitMode ? "true" : "false"
        f.put("l", v1.maxReconsumeTimes)
        f["m"] = v1.batch ? "true" : "false"
        f.put("n", v1.brokerName)
    }
}

/// `SendMessageResponseHeader`.
public struct SendMessageResponseHeader: CommandCustomHeader, Equatable {
    public var msgID: String
    public var queueID: Int32
    public var queueOffset: Int64
    public var transactionID: String?

    public init(msgID: String, queueID: Int32, queueOffset: Int64, transactionID: String? = nil) {
        self.msgID = msgID
        self.queueID = queueID
        self.queueOffset = queueOffset
        self.transactionID = transactionID
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        msgID = try r.string("msgId")
        queueID = try r.int32("queueId")
        queueOffset = try r.int64("queueOffset")
        transactionID = r.optionalString("transactionId")
    }

    public func encode(into f: inout ExtFields) {
        f["msgId"] = msgID
        f["queueId"] = String(queueID)
        f["queueOffset"] = String(queueOffset)
        f.put("transactionId", transactionID)
    }
}

/// `ConsumerSendMsgBackRequestHeader` (code 36).
public struct ConsumerSendMsgBackRequestHeader: CommandCustomHeader {
    public var offset: Int64
    public var group: String
    public var delayLevel: Int32
    public var originMsgID: String?
    public var originTopic: String?
    public var unitMode: Bool
    public var maxReconsumeTimes: Int32?

    public init(offset: Int64, group: String, delayLevel: Int32, originMsgID: String?, originTopic: String?,
                unitMode: Bool = false, maxReconsumeTimes: Int32? = nil) {
        self.offset = offset
        self.group = group
        self.delayLevel = delayLevel
        self.originMsgID = originMsgID
        self.originTopic = originTopic
        self.unitMode = unitMode
        self.maxReconsumeTimes = maxReconsumeTimes
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        offset = try r.int64("offset")
        group = try r.string("group")
        delayLevel = try r.int32("delayLevel")
        originMsgID = r.optionalString("originMsgId")
        originTopic = r.optionalString("originTopic")
        unitMode = r.bool("unitMode")
        maxReconsumeTimes = r.optionalInt32("maxReconsumeTimes")
    }

    public func encode(into f: inout ExtFields) {
        f["offset"] = String(offset)
        f["group"] = group
        f["delayLevel"] = String(delayLevel)
        f.put("originMsgId", originMsgID)
        f.put("originTopic", originTopic)
        f["unitMode"] = unitMode ? "true" : "false"
        f.put("maxReconsumeTimes", maxReconsumeTimes)
    }
}

/// `EndTransactionRequestHeader` (code 37).
public struct EndTransactionRequestHeader: CommandCustomHeader {
    public var producerGroup: String
    public var tranStateTableOffset: Int64
    public var commitLogOffset: Int64
    public var commitOrRollback: Int32
    public var fromTransactionCheck: Bool
    public var msgID: String
    public var transactionID: String?

    public init(producerGroup: String, tranStateTableOffset: Int64, commitLogOffset: Int64, commitOrRollback: Int32,
                fromTransactionCheck: Bool, msgID: String, transactionID: String?) {
        self.producerGroup = producerGroup
        self.tranStateTableOffset = tranStateTableOffset
        self.commitLogOffset = commitLogOffset
        self.commitOrRollback = commitOrRollback
        self.fromTransactionCheck = fromTransactionCheck
        self.msgID = msgID
        self.transactionID = transactionID
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        producerGroup = try r.string("producerGroup")
        tranStateTableOffset = try r.int64("tranStateTableOffset")
        commitLogOffset = try r.int64("commitLogOffset")
        commitOrRollback = try r.int32("commitOrRollback")
        fromTransactionCheck = r.bool("fromTransactionCheck")
        msgID = r.optionalString("msgId") ?? ""
        transactionID = r.optionalString("transactionId")
    }

    public func encode(into f: inout ExtFields) {
        f["producerGroup"] = producerGroup
        f["tranStateTableOffset"] = String(tranStateTableOffset)
        f["commitLogOffset"] = String(commitLogOffset)
        f["commitOrRollback"] = String(commitOrRollback)
        f["fromTransactionCheck"] = fromTransactionCheck ? "true" : "false"
        f["msgId"] = msgID
        f.put("transactionId", transactionID)
    }
}

/// `CheckTransactionStateRequestHeader` (code 39, broker → producer).
public struct CheckTransactionStateRequestHeader: CommandCustomHeader {
    public var tranStateTableOffset: Int64
    public var commitLogOffset: Int64
    public var msgID: String?
    public var transactionID: String?
    public var offsetMsgID: String?

    public init(tranStateTableOffset: Int64, commitLogOffset: Int64, msgID: String?, transactionID: String?,
                offsetMsgID: String?) {
        self.tranStateTableOffset = tranStateTableOffset
        self.commitLogOffset = commitLogOffset
        self.msgID = msgID
        self.transactionID = transactionID
        self.offsetMsgID = offsetMsgID
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        tranStateTableOffset = try r.int64("tranStateTableOffset")
        commitLogOffset = try r.int64("commitLogOffset")
        msgID = r.optionalString("msgId")
        transactionID = r.optionalString("transactionId")
        offsetMsgID = r.optionalString("offsetMsgId")
    }

    public func encode(into f: inout ExtFields) {
        f["tranStateTableOffset"] = String(tranStateTableOffset)
        f["commitLogOffset"] = String(commitLogOffset)
        f.put("msgId", msgID)
        f.put("transactionId", transactionID)
        f.put("offsetMsgId", offsetMsgID)
    }
}
