//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// `ReplyMessageRequestHeader` of PUSH_REPLY_MESSAGE_TO_CLIENT (326): the reply's send header plus where
/// it was born and stored. Hosts are Java `InetSocketAddress.toString()` strings (`/127.0.0.1:10911`).
public struct ReplyMessageRequestHeader: CommandCustomHeader, Equatable {
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
    public var bornHost: String
    public var storeHost: String
    public var storeTimestamp: Int64

    /// The reply's send header, as the broker received it, and the hosts/time it adds.
    public init(send h: SendMessageRequestHeader, bornHost: String, storeHost: String, storeTimestamp: Int64) {
        producerGroup = h.producerGroup
        topic = h.topic
        defaultTopic = h.defaultTopic
        defaultTopicQueueNums = h.defaultTopicQueueNums
        queueID = h.queueID
        sysFlag = h.sysFlag
        bornTimestamp = h.bornTimestamp
        flag = h.flag
        properties = h.properties
        reconsumeTimes = h.reconsumeTimes
        unitMode = h.unitMode
        self.bornHost = bornHost
        self.storeHost = storeHost
        self.storeTimestamp = storeTimestamp
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        producerGroup = try r.string("producerGroup")
        topic = try r.string("topic")
        defaultTopic = try r.string("defaultTopic")
        defaultTopicQueueNums = try r.int32("defaultTopicQueueNums")
        queueID = try r.int32("queueId")
        sysFlag = try r.int32("sysFlag")
        bornTimestamp = try r.int64("bornTimestamp")
        flag = try r.int32("flag")
        properties = r.optionalString("properties")
        reconsumeTimes = r.optionalInt32("reconsumeTimes")
        unitMode = r.bool("unitMode")
        bornHost = try r.string("bornHost")
        storeHost = try r.string("storeHost")
        storeTimestamp = try r.int64("storeTimestamp")
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
        f["bornHost"] = bornHost
        f["storeHost"] = storeHost
        f.put("storeTimestamp", storeTimestamp)
    }
}
