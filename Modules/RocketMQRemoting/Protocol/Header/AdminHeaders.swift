//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// `CreateTopicRequestHeader` (code 17).
public struct CreateTopicRequestHeader: CommandCustomHeader, Equatable {
    public var topic: String
    public var defaultTopic: String
    public var readQueueNums: Int32
    public var writeQueueNums: Int32
    public var perm: Int32
    public var topicFilterType: String?
    public var topicSysFlag: Int32?
    public var order: Bool

    public init(topic: String, defaultTopic: String = "", readQueueNums: Int32, writeQueueNums: Int32, perm: Int32, topicFilterType: String? = nil, topicSysFlag: Int32? = nil, order: Bool = false) {
        self.topic = topic
        self.defaultTopic = defaultTopic
        self.readQueueNums = readQueueNums
        self.writeQueueNums = writeQueueNums
        self.perm = perm
        self.topicFilterType = topicFilterType
        self.topicSysFlag = topicSysFlag
        self.order = order
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        topic = try r.string("topic")
        defaultTopic = r.optionalString("defaultTopic") ?? ""
        readQueueNums = try r.int32("readQueueNums")
        writeQueueNums = try r.int32("writeQueueNums")
        perm = try r.int32("perm")
        topicFilterType = r.optionalString("topicFilterType")
        topicSysFlag = r.optionalInt32("topicSysFlag")
        order = r.bool("order")
    }

    public func encode(into f: inout ExtFields) {
        f["topic"] = topic
        f["defaultTopic"] = defaultTopic
        f["readQueueNums"] = String(readQueueNums)
        f["writeQueueNums"] = String(writeQueueNums)
        f["perm"] = String(perm)
        f.put("topicFilterType", topicFilterType)
        f.put("topicSysFlag", topicSysFlag)
        f["order"] = order ? "true" : "false"
    }
}

/// `DeleteTopicRequestHeader` (codes 215, 216).
public struct DeleteTopicRequestHeader: CommandCustomHeader, Equatable {
    public var topic: String
    public var clusterName: String?

    public init(topic: String, clusterName: String? = nil) {
        self.topic = topic
        self.clusterName = clusterName
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        topic = try r.string("topic")
        clusterName = r.optionalString("clusterName")
    }

    public func encode(into f: inout ExtFields) {
        f["topic"] = topic
        f.put("clusterName", clusterName)
    }
}

/// `DeleteSubscriptionGroupRequestHeader` (code 207).
public struct DeleteSubscriptionGroupRequestHeader: CommandCustomHeader, Equatable {
    public var groupName: String
    public var removeOffset: Bool

    public init(groupName: String, removeOffset: Bool = false) {
        self.groupName = groupName
        self.removeOffset = removeOffset
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        groupName = try r.string("groupName")
        removeOffset = r.bool("removeOffset")
    }

    public func encode(into f: inout ExtFields) {
        f["groupName"] = groupName
        f["removeOffset"] = removeOffset ? "true" : "false"
    }
}

/// `GetTopicStatsInfoRequestHeader` (code 202).
public struct GetTopicStatsInfoRequestHeader: CommandCustomHeader, Equatable {
    public var topic: String

    public init(topic: String) {
        self.topic = topic
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        topic = try r.string("topic")
    }

    public func encode(into f: inout ExtFields) {
        f["topic"] = topic
    }
}

/// `GetConsumeStatsRequestHeader` (code 208).
public struct GetConsumeStatsRequestHeader: CommandCustomHeader, Equatable {
    public var consumerGroup: String
    public var topic: String?

    public init(consumerGroup: String, topic: String? = nil) {
        self.consumerGroup = consumerGroup
        self.topic = topic
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        consumerGroup = try r.string("consumerGroup")
        topic = r.optionalString("topic")
    }

    public func encode(into f: inout ExtFields) {
        f["consumerGroup"] = consumerGroup
        f.put("topic", topic)
    }
}

/// `GetConsumerConnectionListRequestHeader` (code 203).
public struct GetConsumerConnectionListRequestHeader: CommandCustomHeader, Equatable {
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

/// `GetProducerConnectionListRequestHeader` (code 204).
public struct GetProducerConnectionListRequestHeader: CommandCustomHeader, Equatable {
    public var producerGroup: String

    public init(producerGroup: String) {
        self.producerGroup = producerGroup
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        producerGroup = try r.string("producerGroup")
    }

    public func encode(into f: inout ExtFields) {
        f["producerGroup"] = producerGroup
    }
}

/// `GetTopicsByClusterRequestHeader` (code 224).
public struct GetTopicsByClusterRequestHeader: CommandCustomHeader, Equatable {
    public var cluster: String

    public init(cluster: String) {
        self.cluster = cluster
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        cluster = try r.string("cluster")
    }

    public func encode(into f: inout ExtFields) {
        f["cluster"] = cluster
    }
}

/// `QueryTopicConsumeByWhoRequestHeader` (code 300).
public struct QueryTopicConsumeByWhoRequestHeader: CommandCustomHeader, Equatable {
    public var topic: String

    public init(topic: String) {
        self.topic = topic
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        topic = try r.string("topic")
    }

    public func encode(into f: inout ExtFields) {
        f["topic"] = topic
    }
}
