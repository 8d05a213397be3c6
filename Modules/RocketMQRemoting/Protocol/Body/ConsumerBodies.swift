//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// `GetConsumerListByGroupResponseBody`.
public struct GetConsumerListByGroupResponseBody: JSONBody, Equatable {
    public var consumerIdList: [String]
    public init(consumerIdList: [String]) { self.consumerIdList = consumerIdList }
    public init(json: JSONValue) { consumerIdList = (json["consumerIdList"]?.arrayValue ?? []).compactMap(\.stringValue) }
    public func toJSON() -> JSONValue { .object([("consumerIdList", .array(consumerIdList.map { .string($0) }))]) }
}

/// `LockBatchRequestBody` / `UnlockBatchRequestBody`.
public struct LockBatchRequestBody: JSONBody, Equatable {
    public var consumerGroup: String
    public var clientID: String
    public var mqSet: [MessageQueue]
    public init(consumerGroup: String, clientID: String, mqSet: [MessageQueue]) {
        self.consumerGroup = consumerGroup
        self.clientID = clientID
        self.mqSet = mqSet
    }
    public init(json: JSONValue) throws(RemotingError) {
        consumerGroup = try json.string("consumerGroup")
        clientID = json["clientId"]?.stringValue ?? ""
        var set: [MessageQueue] = []
        for v in json["mqSet"]?.arrayValue ?? [] { set.append(try MessageQueue(json: v)) }
        mqSet = set
    }
    public func toJSON() -> JSONValue {
        .object([("clientId", .string(clientID)), ("consumerGroup", .string(consumerGroup)),
                 ("mqSet", .array(mqSet.map { $0.toJSON() }))])
    }
}

/// `LockBatchResponseBody`.
public struct LockBatchResponseBody: JSONBody, Equatable {
    public var lockOKMQSet: [MessageQueue]
    public init(lockOKMQSet: [MessageQueue]) { self.lockOKMQSet = lockOKMQSet }
    public init(json: JSONValue) throws(RemotingError) {
        var set: [MessageQueue] = []
        for v in json["lockOKMQSet"]?.arrayValue ?? [] { set.append(try MessageQueue(json: v)) }
        lockOKMQSet = set
    }
    public func toJSON() -> JSONValue { .object([("lockOKMQSet", .array(lockOKMQSet.map { $0.toJSON() }))]) }
}

/// `Connection`: one client channel of a group.
public struct ConnectionInfo: Sendable, Equatable {
    public var clientID: String
    public var clientAddr: String
    public var language: String
    public var version: Int32
    public init(clientID: String, clientAddr: String, language: String, version: Int32) {
        self.clientID = clientID
        self.clientAddr = clientAddr
        self.language = language
        self.version = version
    }
    init(json: JSONValue) {
        clientID = json["clientId"]?.stringValue ?? ""
        clientAddr = json["clientAddr"]?.stringValue ?? ""
        language = json["language"]?.stringValue ?? ""
        version = json["version"]?.int32Value ?? 0
    }
    func toJSON() -> JSONValue {
        .object([("clientAddr", .string(clientAddr)), ("clientId", .string(clientID)), ("language", .string(language)),
                 ("version", .int(version))])
    }
}

/// `ConsumerConnection` (GET_CONSUMER_CONNECTION_LIST).
public struct ConsumerConnection: JSONBody, Equatable {
    public var connectionSet: [ConnectionInfo]
    public var subscriptionTable: [String: SubscriptionData]
    public var consumeType: ConsumeType
    public var messageModel: MessageModel
    public var consumeFromWhere: ConsumeFromWhere

    public init(connectionSet: [ConnectionInfo], subscriptionTable: [String: SubscriptionData], consumeType: ConsumeType,
                messageModel: MessageModel, consumeFromWhere: ConsumeFromWhere) {
        self.connectionSet = connectionSet
        self.subscriptionTable = subscriptionTable
        self.consumeType = consumeType
        self.messageModel = messageModel
        self.consumeFromWhere = consumeFromWhere
    }

    public init(json: JSONValue) throws(RemotingError) {
        connectionSet = (json["connectionSet"]?.arrayValue ?? []).map(ConnectionInfo.init(json:))
        var subs: [String: SubscriptionData] = [:]
        for (k, v) in json["subscriptionTable"]?.objectValue ?? [] {
            if let s = try? SubscriptionData(json: v) { subs[k] = s }
        }
        subscriptionTable = subs
        consumeType = ConsumeType.lenient(json["consumeType"]) ?? .consumePassively
        messageModel = MessageModel.lenient(json["messageModel"]) ?? .clustering
        consumeFromWhere = ConsumeFromWhere.lenient(json["consumeFromWhere"]) ?? .consumeFromLastOffset
    }

    public func toJSON() -> JSONValue {
        .object([
            ("connectionSet", .array(connectionSet.map { $0.toJSON() })),
            ("consumeFromWhere", .string(consumeFromWhere.rawValue)), ("consumeType", .string(consumeType.rawValue)),
            ("messageModel", .string(messageModel.rawValue)),
            ("subscriptionTable", .object(subscriptionTable.sorted { $0.key < $1.key }.map { ($0.key, $0.value.toJSON()) })),
        ])
    }
}

/// `ProducerConnection` (GET_PRODUCER_CONNECTION_LIST).
public struct ProducerConnection: JSONBody, Equatable {
    public var connectionSet: [ConnectionInfo]
    public init(connectionSet: [ConnectionInfo]) { self.connectionSet = connectionSet }
    public init(json: JSONValue) { connectionSet = (json["connectionSet"]?.arrayValue ?? []).map(ConnectionInfo.init(json:)) }
    public func toJSON() -> JSONValue { .object([("connectionSet", .array(connectionSet.map { $0.toJSON() }))]) }
}

/// One queue's offsets in `ConsumeStats` / `TopicStatsTable`.
public struct OffsetWrapper: Sendable, Equatable {
    public var brokerOffset: Int64
    public var consumerOffset: Int64
    public var lastTimestamp: Int64
    public init(brokerOffset: Int64, consumerOffset: Int64, lastTimestamp: Int64) {
        self.brokerOffset = brokerOffset
        self.consumerOffset = consumerOffset
        self.lastTimestamp = lastTimestamp
    }
}

/// `ConsumeStats` (GET_CONSUME_STATS). Object-keyed map written with the MessageQueue as a JSON key,
/// as fastjson does; our parser accepts it.
public struct ConsumeStats: JSONBody, Equatable {
    public var offsetTable: [MessageQueue: OffsetWrapper]
    public var consumeTps: Double

    public init(offsetTable: [MessageQueue: OffsetWrapper], consumeTps: Double = 0) {
        self.offsetTable = offsetTable
        self.consumeTps = consumeTps
    }

    public init(json: JSONValue) throws(RemotingError) {
        var table: [MessageQueue: OffsetWrapper] = [:]
        for (k, v) in json["offsetTable"]?.objectValue ?? [] {
            guard let kj = try? JSONParser.parse(k), let mq = try? MessageQueue(json: kj) else { continue }
            table[mq] = OffsetWrapper(brokerOffset: v["brokerOffset"]?.int64Value ?? 0,
                                      consumerOffset: v["consumerOffset"]?.int64Value ?? 0,
                                      lastTimestamp: v["lastTimestamp"]?.int64Value ?? 0)
        }
        offsetTable = table
        consumeTps = json["consumeTps"]?.doubleValue ?? 0
    }

    public func toJSON() -> JSONValue {
        .object([
            ("consumeTps", .number(consumeTps, raw: String(consumeTps))),
            ("offsetTable", .object(offsetTable.sorted { $0.key < $1.key }.map {
                (JSONWriter.string($0.key.toJSON()),
                 .object([("brokerOffset", .int($0.value.brokerOffset)), ("consumerOffset", .int($0.value.consumerOffset)),
                          ("lastTimestamp", .int($0.value.lastTimestamp))]))
            })),
        ])
    }
}

/// `TopicStatsTable` (GET_TOPIC_STATS_INFO): per queue min/max offset and last update time.
public struct TopicStatsTable: JSONBody, Equatable {
    public struct Offsets: Sendable, Equatable {
        public var minOffset: Int64
        public var maxOffset: Int64
        public var lastUpdateTimestamp: Int64
        public init(minOffset: Int64, maxOffset: Int64, lastUpdateTimestamp: Int64) {
            self.minOffset = minOffset
            self.maxOffset = maxOffset
            self.lastUpdateTimestamp = lastUpdateTimestamp
        }
    }
    public var offsetTable: [MessageQueue: Offsets]

    public init(offsetTable: [MessageQueue: Offsets]) { self.offsetTable = offsetTable }

    public init(json: JSONValue) throws(RemotingError) {
        var table: [MessageQueue: Offsets] = [:]
        for (k, v) in json["offsetTable"]?.objectValue ?? [] {
            guard let kj = try? JSONParser.parse(k), let mq = try? MessageQueue(json: kj) else { continue }
            table[mq] = Offsets(minOffset: v["minOffset"]?.int64Value ?? 0, maxOffset: v["maxOffset"]?.int64Value ?? 0,
                                lastUpdateTimestamp: v["lastUpdateTimestamp"]?.int64Value ?? 0)
        }
        offsetTable = table
    }

    public func toJSON() -> JSONValue {
        .object([("offsetTable", .object(offsetTable.sorted { $0.key < $1.key }.map {
            (JSONWriter.string($0.key.toJSON()),
             .object([("lastUpdateTimestamp", .int($0.value.lastUpdateTimestamp)), ("maxOffset", .int($0.value.maxOffset)),
                      ("minOffset", .int($0.value.minOffset))]))
        }))])
    }
}

/// `SubscriptionGroupConfig` with upstream's defaults.
public struct SubscriptionGroupConfig: JSONBody, Equatable {
    public var groupName: String
    public var consumeEnable = true
    public var consumeFromMinEnable = true
    public var consumeBroadcastEnable = true
    public var retryQueueNums: Int32 = 1
    public var retryMaxTimes: Int32 = 16
    public var brokerID: Int64 = 0
    public var whichBrokerWhenConsumeSlowly: Int64 = 1
    public var notifyConsumerIdsChangedEnable = true

    public init(groupName: String) { self.groupName = groupName }

    public init(json: JSONValue) throws(RemotingError) {
        groupName = try json.string("groupName")
        consumeEnable = json["consumeEnable"]?.boolValue ?? true
        consumeFromMinEnable = json["consumeFromMinEnable"]?.boolValue ?? true
        consumeBroadcastEnable = json["consumeBroadcastEnable"]?.boolValue ?? true
        retryQueueNums = json["retryQueueNums"]?.int32Value ?? 1
        retryMaxTimes = json["retryMaxTimes"]?.int32Value ?? 16
        brokerID = json["brokerId"]?.int64Value ?? 0
        whichBrokerWhenConsumeSlowly = json["whichBrokerWhenConsumeSlowly"]?.int64Value ?? 1
        notifyConsumerIdsChangedEnable = json["notifyConsumerIdsChangedEnable"]?.boolValue ?? true
    }

    public func toJSON() -> JSONValue {
        .object([
            ("brokerId", .int(brokerID)), ("consumeBroadcastEnable", .bool(consumeBroadcastEnable)),
            ("consumeEnable", .bool(consumeEnable)), ("consumeFromMinEnable", .bool(consumeFromMinEnable)),
            ("groupName", .string(groupName)), ("notifyConsumerIdsChangedEnable", .bool(notifyConsumerIdsChangedEnable)),
            ("retryMaxTimes", .int(retryMaxTimes)), ("retryQueueNums", .int(retryQueueNums)),
            ("whichBrokerWhenConsumeSlowly", .int(whichBrokerWhenConsumeSlowly)),
        ])
    }
}

/// `SubscriptionGroupWrapper` (GET_ALL_SUBSCRIPTIONGROUP_CONFIG, subscriptionGroup.json).
public struct SubscriptionGroupWrapper: JSONBody, Equatable {
    public var subscriptionGroupTable: [String: SubscriptionGroupConfig]
    public var dataVersion: DataVersion
    public init(subscriptionGroupTable: [String: SubscriptionGroupConfig], dataVersion: DataVersion) {
        self.subscriptionGroupTable = subscriptionGroupTable
        self.dataVersion = dataVersion
    }
    public init(json: JSONValue) throws(RemotingError) {
        var t: [String: SubscriptionGroupConfig] = [:]
        for (k, v) in json["subscriptionGroupTable"]?.objectValue ?? [] { t[k] = try SubscriptionGroupConfig(json: v) }
        subscriptionGroupTable = t
        dataVersion = json["dataVersion"].map { DataVersion(json: $0) } ?? DataVersion()
    }
    public func toJSON() -> JSONValue {
        .object([("dataVersion", dataVersion.toJSON()),
                 ("subscriptionGroupTable", .object(subscriptionGroupTable.sorted { $0.key < $1.key }.map { ($0.key, $0.value.toJSON()) }))])
    }
}

/// `ResetOffsetBody` (Java clients) and its list form `ResetOffsetBodyForC` (C++ clients).
public struct ResetOffsetBody: Sendable, Equatable {
    public var offsetTable: [MessageQueue: Int64]
    public init(offsetTable: [MessageQueue: Int64]) { self.offsetTable = offsetTable }

    public func toJSON(forC: Bool) -> JSONValue {
        if forC {
            return .object([("offsetTable", .array(offsetTable.sorted { $0.key < $1.key }.map {
                .object([("brokerName", .string($0.key.brokerName)), ("offset", .int($0.value)),
                         ("queueId", .int($0.key.queueID)), ("topic", .string($0.key.topic))])
            }))])
        }
        return .object([("offsetTable", .object(offsetTable.sorted { $0.key < $1.key }.map {
            (JSONWriter.string($0.key.toJSON()), .int($0.value))
        }))])
    }

    public init(json: JSONValue) {
        var t: [MessageQueue: Int64] = [:]
        if let list = json["offsetTable"]?.arrayValue {
            for v in list {
                if let mq = try? MessageQueue(json: v), let o = v["offset"]?.int64Value { t[mq] = o }
            }
        } else {
            for (k, v) in json["offsetTable"]?.objectValue ?? [] {
                if let kj = try? JSONParser.parse(k), let mq = try? MessageQueue(json: kj), let o = v.int64Value { t[mq] = o }
            }
        }
        offsetTable = t
    }
}
