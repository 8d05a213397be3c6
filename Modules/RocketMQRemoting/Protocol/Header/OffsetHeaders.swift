//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// `QueryConsumerOffsetRequestHeader` (code 14).
public struct QueryConsumerOffsetRequestHeader: CommandCustomHeader, Equatable {
    public var consumerGroup: String
    public var topic: String
    public var queueID: Int32
    public var setZeroIfNotFound: Bool?

    public init(consumerGroup: String, topic: String, queueID: Int32, setZeroIfNotFound: Bool? = nil) {
        self.consumerGroup = consumerGroup
        self.topic = topic
        self.queueID = queueID
        self.setZeroIfNotFound = setZeroIfNotFound
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        consumerGroup = try r.string("consumerGroup")
        topic = try r.string("topic")
        queueID = try r.int32("queueId")
        setZeroIfNotFound = r.optionalBool("setZeroIfNotFound")
    }

    public func encode(into f: inout ExtFields) {
        f["consumerGroup"] = consumerGroup
        f["topic"] = topic
        f["queueId"] = String(queueID)
        f.put("setZeroIfNotFound", setZeroIfNotFound)
    }
}

/// `QueryConsumerOffsetResponseHeader` (code 14 response).
public struct QueryConsumerOffsetResponseHeader: CommandCustomHeader, Equatable {
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

/// `UpdateConsumerOffsetRequestHeader` (code 15).
public struct UpdateConsumerOffsetRequestHeader: CommandCustomHeader, Equatable {
    public var consumerGroup: String
    public var topic: String
    public var queueID: Int32
    public var commitOffset: Int64

    public init(consumerGroup: String, topic: String, queueID: Int32, commitOffset: Int64) {
        self.consumerGroup = consumerGroup
        self.topic = topic
        self.queueID = queueID
        self.commitOffset = commitOffset
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        consumerGroup = try r.string("consumerGroup")
        topic = try r.string("topic")
        queueID = try r.int32("queueId")
        commitOffset = try r.int64("commitOffset")
    }

    public func encode(into f: inout ExtFields) {
        f["consumerGroup"] = consumerGroup
        f["topic"] = topic
        f["queueId"] = String(queueID)
        f["commitOffset"] = String(commitOffset)
    }
}

/// A topic and queue id: the whole of `GetMaxOffsetRequestHeader` (30), `GetMinOffsetRequestHeader` (31) and
/// `GetEarliestMsgStoretimeRequestHeader` (32), which upstream declares as three identical classes.
public struct TopicQueueRequestHeader: CommandCustomHeader, Equatable {
    public var topic: String
    public var queueID: Int32

    public init(topic: String, queueID: Int32) {
        self.topic = topic
        self.queueID = queueID
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        topic = try r.string("topic")
        queueID = try r.int32("queueId")
    }

    public func encode(into f: inout ExtFields) {
        f["topic"] = topic
        f["queueId"] = String(queueID)
    }
}

public typealias GetMaxOffsetRequestHeader = TopicQueueRequestHeader
public typealias GetMinOffsetRequestHeader = TopicQueueRequestHeader
public typealias GetEarliestMsgStoretimeRequestHeader = TopicQueueRequestHeader

/// `OffsetResponseHeader` (responses of codes 29, 30, 31).
public struct OffsetResponseHeader: CommandCustomHeader, Equatable {
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

/// `SearchOffsetRequestHeader` (code 29).
public struct SearchOffsetRequestHeader: CommandCustomHeader, Equatable {
    public var topic: String
    public var queueID: Int32
    public var timestamp: Int64
    public var boundaryType: String?

    public init(topic: String, queueID: Int32, timestamp: Int64, boundaryType: String? = nil) {
        self.topic = topic
        self.queueID = queueID
        self.timestamp = timestamp
        self.boundaryType = boundaryType
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        topic = try r.string("topic")
        queueID = try r.int32("queueId")
        timestamp = try r.int64("timestamp")
        boundaryType = r.optionalString("boundaryType")
    }

    public func encode(into f: inout ExtFields) {
        f["topic"] = topic
        f["queueId"] = String(queueID)
        f["timestamp"] = String(timestamp)
        f.put("boundaryType", boundaryType)
    }
}

/// `GetEarliestMsgStoretimeResponseHeader` (code 32 response).
public struct GetEarliestMsgStoretimeResponseHeader: CommandCustomHeader, Equatable {
    public var timestamp: Int64

    public init(timestamp: Int64) {
        self.timestamp = timestamp
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        timestamp = try r.int64("timestamp")
    }

    public func encode(into f: inout ExtFields) {
        f["timestamp"] = String(timestamp)
    }
}

/// `GetConsumerListByGroupRequestHeader` (code 38).
public struct GetConsumerListByGroupRequestHeader: CommandCustomHeader, Equatable {
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

/// `ResetOffsetRequestHeader` (codes 220, 222).
public struct ResetOffsetRequestHeader: CommandCustomHeader, Equatable {
    public var topic: String
    public var group: String
    public var timestamp: Int64
    public var isForce: Bool

    public init(topic: String, group: String, timestamp: Int64, isForce: Bool = false) {
        self.topic = topic
        self.group = group
        self.timestamp = timestamp
        self.isForce = isForce
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        topic = try r.string("topic")
        group = try r.string("group")
        timestamp = try r.int64("timestamp")
        isForce = r.bool("isForce")
    }

    public func encode(into f: inout ExtFields) {
        f["topic"] = topic
        f["group"] = group
        f["timestamp"] = String(timestamp)
        f["isForce"] = isForce ? "true" : "false"
    }
}

/// `GetConsumerStatusRequestHeader` (codes 221, 223).
public struct GetConsumerStatusRequestHeader: CommandCustomHeader, Equatable {
    public var topic: String
    public var group: String
    public var clientAddr: String?

    public init(topic: String, group: String, clientAddr: String? = nil) {
        self.topic = topic
        self.group = group
        self.clientAddr = clientAddr
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        topic = try r.string("topic")
        group = try r.string("group")
        clientAddr = r.optionalString("clientAddr")
    }

    public func encode(into f: inout ExtFields) {
        f["topic"] = topic
        f["group"] = group
        f.put("clientAddr", clientAddr)
    }
}
