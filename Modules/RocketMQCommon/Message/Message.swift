//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// A message as a producer builds it (Java `Message`).
public struct Message: Sendable, Equatable {
    public var topic: String
    public var flag: Int32
    public var properties: [String: String]
    public var body: [UInt8]

    public init(topic: String, tags: String? = nil, keys: String? = nil, flag: Int32 = 0, body: [UInt8],
                waitStoreMsgOK: Bool = true) {
        self.topic = topic
        self.flag = flag
        self.body = body
        self.properties = [:]
        if let tags, !tags.isEmpty { self.properties[MessageConst.tags] = tags }
        if let keys, !keys.isEmpty { self.properties[MessageConst.keys] = keys }
        if !waitStoreMsgOK { self.properties[MessageConst.waitStoreMsgOK] = "false" }
    }

    public init(topic: String, tags: String? = nil, keys: String? = nil, body: String) {
        self.init(topic: topic, tags: tags, keys: keys, body: Array(body.utf8))
    }

    public var tags: String? {
        get { properties[MessageConst.tags] }
        set { properties[MessageConst.tags] = newValue }
    }

    /// Space-separated business keys, indexed by the broker.
    public var keys: String? {
        get { properties[MessageConst.keys] }
        set { properties[MessageConst.keys] = newValue }
    }

    public mutating func setKeys(_ keys: [String]) { self.keys = keys.joined(separator: " ") }

    /// Delay level (1-based index into the broker's `messageDelayLevel`); 0 means none.
    public var delayTimeLevel: Int {
        get { properties[MessageConst.delayTimeLevel].flatMap { Int($0) } ?? 0 }
        set { properties[MessageConst.delayTimeLevel] = newValue > 0 ? String(newValue) : nil }
    }

    /// Absolute delivery time in epoch milliseconds (5.x `TIMER_DELIVER_MS`).
    public var deliveryTimestamp: Int64? {
        get { properties[MessageConst.timerDeliverMS].flatMap { Int64($0) } }
        set { properties[MessageConst.timerDeliverMS] = newValue.map(String.init) }
    }

    public var waitStoreMsgOK: Bool {
        get { properties[MessageConst.waitStoreMsgOK].map { $0 != "false" } ?? true }
        set { properties[MessageConst.waitStoreMsgOK] = newValue ? nil : "false" }
    }

    /// Adds a user property. Reserved system names are refused by validation, not here.
    public mutating func putUserProperty(_ name: String, _ value: String) { properties[name] = value }
    public func userProperty(_ name: String) -> String? { properties[name] }

    public var bodyString: String { String(decoding: body, as: UTF8.self) }
}

extension Message: CustomStringConvertible {
    public var description: String {
        "Message{topic='\(topic)', flag=\(flag), properties={\(properties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))}, body=\(JavaFormat.byteArray(body)), transactionId='null'}"
    }
}
