//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// `ConsumeType`, `MessageModel`, `ConsumeFromWhere`: names on the wire, ordinals accepted (C++).
public enum ConsumeType: String, Sendable, CaseIterable {
    case consumeActively = "CONSUME_ACTIVELY"
    case consumePassively = "CONSUME_PASSIVELY"
}

public enum MessageModel: String, Sendable, CaseIterable {
    case broadcasting = "BROADCASTING"
    case clustering = "CLUSTERING"
}

public enum ConsumeFromWhere: String, Sendable, CaseIterable {
    case consumeFromLastOffset = "CONSUME_FROM_LAST_OFFSET"
    case consumeFromLastOffsetAndFromMinWhenBootFirst = "CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST"
    case consumeFromMinOffset = "CONSUME_FROM_MIN_OFFSET"
    case consumeFromMaxOffset = "CONSUME_FROM_MAX_OFFSET"
    case consumeFromFirstOffset = "CONSUME_FROM_FIRST_OFFSET"
    case consumeFromTimestamp = "CONSUME_FROM_TIMESTAMP"
}

extension RawRepresentable where Self: CaseIterable, RawValue == String {
    /// Reads an enum by name or by Java ordinal.
    static func lenient(_ json: JSONValue?) -> Self? {
        guard let json else { return nil }
        if case .string(let s) = json { return Self(rawValue: s) }
        if let n = json.intValue, n >= 0, n < allCases.count { return Array(allCases)[n] }
        return nil
    }
}

/// `ProducerData`.
public struct ProducerData: Sendable, Hashable {
    public var groupName: String
    public init(groupName: String) { self.groupName = groupName }
}

/// `ConsumerData`.
public struct ConsumerData: Sendable, Equatable {
    public var groupName: String
    public var consumeType: ConsumeType
    public var messageModel: MessageModel
    public var consumeFromWhere: ConsumeFromWhere
    public var subscriptionDataSet: [SubscriptionData]
    public var unitMode: Bool

    public init(groupName: String, consumeType: ConsumeType, messageModel: MessageModel,
                consumeFromWhere: ConsumeFromWhere, subscriptionDataSet: [SubscriptionData], unitMode: Bool = false) {
        self.groupName = groupName
        self.consumeType = consumeType
        self.messageModel = messageModel
        self.consumeFromWhere = consumeFromWhere
        self.subscriptionDataSet = subscriptionDataSet
        self.unitMode = unitMode
    }

    public init(json: JSONValue) throws(RemotingError) {
        groupName = try json.string("groupName")
        consumeType = ConsumeType.lenient(json["consumeType"]) ?? .consumePassively
        messageModel = MessageModel.lenient(json["messageModel"]) ?? .clustering
        consumeFromWhere = ConsumeFromWhere.lenient(json["consumeFromWhere"]) ?? .consumeFromLastOffset
        var subs: [SubscriptionData] = []
        for v in json["subscriptionDataSet"]?.arrayValue ?? [] {
            do { subs.append(try SubscriptionData(json: v)) } catch { throw .invalidBody("\(error)") }
        }
        subscriptionDataSet = subs
        unitMode = json["unitMode"]?.boolValue ?? false
    }

    public func toJSON() -> JSONValue {
        .object([
            ("consumeFromWhere", .string(consumeFromWhere.rawValue)), ("consumeType", .string(consumeType.rawValue)),
            ("groupName", .string(groupName)), ("messageModel", .string(messageModel.rawValue)),
            ("subscriptionDataSet", .array(subscriptionDataSet.map { $0.toJSON() })), ("unitMode", .bool(unitMode)),
        ])
    }
}

/// `HeartbeatData` (HEART_BEAT body).
public struct HeartbeatData: JSONBody, Equatable {
    public var clientID: String
    public var producerDataSet: [ProducerData]
    public var consumerDataSet: [ConsumerData]

    public init(clientID: String, producerDataSet: [ProducerData], consumerDataSet: [ConsumerData]) {
        self.clientID = clientID
        self.producerDataSet = producerDataSet
        self.consumerDataSet = consumerDataSet
    }

    public init(json: JSONValue) throws(RemotingError) {
        clientID = try json.string("clientID")
        producerDataSet = (json["producerDataSet"]?.arrayValue ?? []).compactMap { $0["groupName"]?.stringValue }
            .map(ProducerData.init)
        var consumers: [ConsumerData] = []
        for v in json["consumerDataSet"]?.arrayValue ?? [] { consumers.append(try ConsumerData(json: v)) }
        consumerDataSet = consumers
    }

    public func toJSON() -> JSONValue {
        .object([
            ("clientID", .string(clientID)),
            ("consumerDataSet", .array(consumerDataSet.map { $0.toJSON() })),
            ("producerDataSet", .array(producerDataSet.map { .object([("groupName", .string($0.groupName))]) })),
        ])
    }
}
