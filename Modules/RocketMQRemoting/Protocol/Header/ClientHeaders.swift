//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// `UnregisterClientRequestHeader` (code 35).
public struct UnregisterClientRequestHeader: CommandCustomHeader, Equatable {
    public var clientID: String
    public var producerGroup: String?
    public var consumerGroup: String?

    public init(clientID: String, producerGroup: String? = nil, consumerGroup: String? = nil) {
        self.clientID = clientID
        self.producerGroup = producerGroup
        self.consumerGroup = consumerGroup
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        clientID = try r.string("clientID")
        producerGroup = r.optionalString("producerGroup")
        consumerGroup = r.optionalString("consumerGroup")
    }

    public func encode(into f: inout ExtFields) {
        f["clientID"] = clientID
        f.put("producerGroup", producerGroup)
        f.put("consumerGroup", consumerGroup)
    }
}

/// `NotifyConsumerIdsChangedRequestHeader` (code 40).
public struct NotifyConsumerIdsChangedRequestHeader: CommandCustomHeader, Equatable {
    public var consumerGroup: String

    public init(consumerGroup: String) {
        self.consumerGroup = consumerGroup
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        consumerGroup = try r.string("consumerGroup")
    }

    public func encode(into f: inout ExtFields) {
        f["consumerGroup"] = consumerGroup
    }
}

/// `GetConsumerRunningInfoRequestHeader` (code 307).
public struct GetConsumerRunningInfoRequestHeader: CommandCustomHeader, Equatable {
    public var consumerGroup: String
    public var clientID: String
    public var jstackEnable: Bool

    public init(consumerGroup: String, clientID: String, jstackEnable: Bool = false) {
        self.consumerGroup = consumerGroup
        self.clientID = clientID
        self.jstackEnable = jstackEnable
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        consumerGroup = try r.string("consumerGroup")
        clientID = try r.string("clientId")
        jstackEnable = r.bool("jstackEnable")
    }

    public func encode(into f: inout ExtFields) {
        f["consumerGroup"] = consumerGroup
        f["clientId"] = clientID
        f["jstackEnable"] = jstackEnable ? "true" : "false"
    }
}

/// `ConsumeMessageDirectlyResultRequestHeader` (code 309).
public struct ConsumeMessageDirectlyResultRequestHeader: CommandCustomHeader, Equatable {
    public var consumerGroup: String
    public var clientID: String?
    public var msgID: String?
    public var brokerName: String?

    public init(consumerGroup: String, clientID: String? = nil, msgID: String? = nil, brokerName: String? = nil) {
        self.consumerGroup = consumerGroup
        self.clientID = clientID
        self.msgID = msgID
        self.brokerName = brokerName
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        consumerGroup = try r.string("consumerGroup")
        clientID = r.optionalString("clientId")
        msgID = r.optionalString("msgId")
        brokerName = r.optionalString("brokerName")
    }

    public func encode(into f: inout ExtFields) {
        f["consumerGroup"] = consumerGroup
        f.put("clientId", clientID)
        f.put("msgId", msgID)
        f.put("brokerName", brokerName)
    }
}

/// `QueryMessageRequestHeader` (code 12).
public struct QueryMessageRequestHeader: CommandCustomHeader, Equatable {
    public var topic: String
    public var key: String
    public var maxNum: Int32
    public var beginTimestamp: Int64
    public var endTimestamp: Int64

    public init(topic: String, key: String, maxNum: Int32, beginTimestamp: Int64, endTimestamp: Int64) {
        self.topic = topic
        self.key = key
        self.maxNum = maxNum
        self.beginTimestamp = beginTimestamp
        self.endTimestamp = endTimestamp
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        topic = try r.string("topic")
        key = try r.string("key")
        maxNum = try r.int32("maxNum")
        beginTimestamp = try r.int64("beginTimestamp")
        endTimestamp = try r.int64("endTimestamp")
    }

    public func encode(into f: inout ExtFields) {
        f["topic"] = topic
        f["key"] = key
        f["maxNum"] = String(maxNum)
        f["beginTimestamp"] = String(beginTimestamp)
        f["endTimestamp"] = String(endTimestamp)
    }
}

/// `QueryMessageResponseHeader` (code 12 response).
public struct QueryMessageResponseHeader: CommandCustomHeader, Equatable {
    public var indexLastUpdateTimestamp: Int64
    public var indexLastUpdatePhyoffset: Int64

    public init(indexLastUpdateTimestamp: Int64, indexLastUpdatePhyoffset: Int64) {
        self.indexLastUpdateTimestamp = indexLastUpdateTimestamp
        self.indexLastUpdatePhyoffset = indexLastUpdatePhyoffset
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        indexLastUpdateTimestamp = try r.int64("indexLastUpdateTimestamp")
        indexLastUpdatePhyoffset = try r.int64("indexLastUpdatePhyoffset")
    }

    public func encode(into f: inout ExtFields) {
        f["indexLastUpdateTimestamp"] = String(indexLastUpdateTimestamp)
        f["indexLastUpdatePhyoffset"] = String(indexLastUpdatePhyoffset)
    }
}

/// `ViewMessageRequestHeader` (code 33).
public struct ViewMessageRequestHeader: CommandCustomHeader, Equatable {
    public var offset: Int64

    public init(offset: Int64) {
        self.offset = offset
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        offset = try r.int64("offset")
    }

    public func encode(into f: inout ExtFields) {
        f["offset"] = String(offset)
    }
}
