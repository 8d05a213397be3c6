//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon

/// A JSON body type with hand-written, lenient mapping (fastjson-compatible keys).
public protocol JSONBody: Sendable {
    init(json: JSONValue) throws(RemotingError)
    func toJSON() -> JSONValue
}

extension JSONBody {
    public init(body: ByteBuffer?) throws(RemotingError) {
        guard var body, body.readableBytes > 0 else { throw .invalidBody("empty body") }
        let bytes = body.readBytes(length: body.readableBytes) ?? []
        let json: JSONValue
        do { json = try JSONParser.parse(bytes) } catch { throw .invalidBody("\(error)") }
        try self.init(json: json)
    }

    public init(bytes: [UInt8]) throws(RemotingError) {
        let json: JSONValue
        do { json = try JSONParser.parse(bytes) } catch { throw .invalidBody("\(error)") }
        try self.init(json: json)
    }

    public func encodedBody() -> ByteBuffer { ByteBuffer(bytes: JSONWriter.bytes(toJSON())) }
    public var jsonString: String { JSONWriter.string(toJSON()) }
}

extension JSONValue {
    func require(_ key: String) throws(RemotingError) -> JSONValue {
        guard let v = self[key], !v.isNull else { throw .invalidBody("missing key \(key)") }
        return v
    }
    func string(_ key: String) throws(RemotingError) -> String {
        guard let v = self[key]?.stringValue else { throw .invalidBody("missing string \(key)") }
        return v
    }
}

/// `DataVersion`: timestamp + counter, compared to detect topic-config changes.
public struct DataVersion: JSONBody, Equatable {
    public var timestamp: Int64
    public var counter: Int64
    public init(timestamp: Int64 = Clock.millis(), counter: Int64 = 0) {
        self.timestamp = timestamp
        self.counter = counter
    }
    public init(json: JSONValue) {
        timestamp = json["timestamp"]?.int64Value ?? 0
        counter = json["counter"]?.int64Value ?? 0
    }
    public func toJSON() -> JSONValue { .object([("counter", .int(counter)), ("timestamp", .int(timestamp))]) }
    public mutating func nextVersion() {
        timestamp = Clock.millis()
        counter += 1
    }
}

/// `MessageQueue`: topic, broker name and queue id.
public struct MessageQueue: JSONBody, Hashable, Comparable, CustomStringConvertible {
    public var topic: String
    public var brokerName: String
    public var queueID: Int32
    public init(topic: String, brokerName: String, queueID: Int32) {
        self.topic = topic
        self.brokerName = brokerName
        self.queueID = queueID
    }
    public init(json: JSONValue) throws(RemotingError) {
        topic = try json.string("topic")
        brokerName = try json.string("brokerName")
        queueID = json["queueId"]?.int32Value ?? 0
    }
    public func toJSON() -> JSONValue {
        .object([("brokerName", .string(brokerName)), ("queueId", .int(queueID)), ("topic", .string(topic))])
    }
    public var description: String { "MessageQueue [topic=\(topic), brokerName=\(brokerName), queueId=\(queueID)]" }
    public static func < (a: MessageQueue, b: MessageQueue) -> Bool {
        (a.topic, a.brokerName, a.queueID) < (b.topic, b.brokerName, b.queueID)
    }
}

/// `KVTable`.
public struct KVTable: JSONBody, Equatable {
    public var table: [String: String]
    public init(table: [String: String] = [:]) { self.table = table }
    public init(json: JSONValue) {
        var t: [String: String] = [:]
        for (k, v) in json["table"]?.objectValue ?? [] { if let s = v.stringValue { t[k] = s } }
        table = t
    }
    public func toJSON() -> JSONValue {
        .object([("table", .object(table.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))])
    }
}

/// `TopicList`.
/// `GroupList` (QUERY_TOPIC_CONSUME_BY_WHO's body): the consumer groups of a topic.
public struct GroupList: JSONBody, Equatable {
    public var groupList: [String]
    public init(groupList: [String]) { self.groupList = groupList }
    public init(json: JSONValue) {
        groupList = (json["groupList"]?.arrayValue ?? []).compactMap(\.stringValue)
    }
    public func toJSON() -> JSONValue { .object([("groupList", .array(groupList.map { .string($0) }))]) }
}

public struct TopicList: JSONBody, Equatable {
    public var topicList: [String]
    public var brokerAddr: String?
    public init(topicList: [String], brokerAddr: String? = nil) {
        self.topicList = topicList
        self.brokerAddr = brokerAddr
    }
    public init(json: JSONValue) {
        topicList = (json["topicList"]?.arrayValue ?? []).compactMap(\.stringValue)
        brokerAddr = json["brokerAddr"]?.stringValue
    }
    public func toJSON() -> JSONValue {
        var m: [(String, JSONValue)] = []
        if let brokerAddr { m.append(("brokerAddr", .string(brokerAddr))) }
        m.append(("topicList", .array(topicList.map { .string($0) })))
        return .object(m)
    }
}
