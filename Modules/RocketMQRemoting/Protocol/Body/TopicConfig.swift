//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// `TopicConfig`: queues, permission and filter type of one topic.
public struct TopicConfig: JSONBody, Equatable {
    public var topicName: String
    public var readQueueNums: Int32
    public var writeQueueNums: Int32
    public var perm: Int32
    public var topicFilterType: String
    public var topicSysFlag: Int32
    public var order: Bool

    public static let defaultReadQueueNums: Int32 = 16
    public static let defaultWriteQueueNums: Int32 = 16

    public init(topicName: String, readQueueNums: Int32 = TopicConfig.defaultReadQueueNums,
                writeQueueNums: Int32 = TopicConfig.defaultWriteQueueNums, perm: Int32 = PermName.read | PermName.write,
                topicFilterType: String = "SINGLE_TAG", topicSysFlag: Int32 = 0, order: Bool = false) {
        self.topicName = topicName
        self.readQueueNums = readQueueNums
        self.writeQueueNums = writeQueueNums
        self.perm = perm
        self.topicFilterType = topicFilterType
        self.topicSysFlag = topicSysFlag
        self.order = order
    }

    public init(json: JSONValue) throws(RemotingError) {
        topicName = try json.string("topicName")
        readQueueNums = json["readQueueNums"]?.int32Value ?? Self.defaultReadQueueNums
        writeQueueNums = json["writeQueueNums"]?.int32Value ?? Self.defaultWriteQueueNums
        perm = json["perm"]?.int32Value ?? 6
        topicFilterType = json["topicFilterType"]?.stringValue ?? "SINGLE_TAG"
        topicSysFlag = json["topicSysFlag"]?.int32Value ?? 0
        order = json["order"]?.boolValue ?? false
    }

    public func toJSON() -> JSONValue {
        .object([
            ("order", .bool(order)), ("perm", .int(perm)), ("readQueueNums", .int(readQueueNums)),
            ("topicFilterType", .string(topicFilterType)), ("topicName", .string(topicName)),
            ("topicSysFlag", .int(topicSysFlag)), ("writeQueueNums", .int(writeQueueNums)),
        ])
    }

    /// The compressed register body's text form: "name read write perm filterType".
    public var encodedText: String { "\(topicName) \(readQueueNums) \(writeQueueNums) \(perm) \(topicFilterType)" }

    public init?(encodedText: String) {
        let parts = encodedText.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 5, let r = Int32(parts[1]), let w = Int32(parts[2]), let p = Int32(parts[3]) else { return nil }
        self.init(topicName: String(parts[0]), readQueueNums: r, writeQueueNums: w, perm: p, topicFilterType: String(parts[4]))
    }
}

/// `TopicConfigSerializeWrapper`: every topic config plus the data version (topics.json, registration).
public struct TopicConfigSerializeWrapper: JSONBody, Equatable {
    public var topicConfigTable: [String: TopicConfig]
    public var dataVersion: DataVersion

    public init(topicConfigTable: [String: TopicConfig], dataVersion: DataVersion) {
        self.topicConfigTable = topicConfigTable
        self.dataVersion = dataVersion
    }

    public init(json: JSONValue) throws(RemotingError) {
        var table: [String: TopicConfig] = [:]
        for (name, value) in json["topicConfigTable"]?.objectValue ?? [] { table[name] = try TopicConfig(json: value) }
        topicConfigTable = table
        dataVersion = json["dataVersion"].map { DataVersion(json: $0) } ?? DataVersion(timestamp: 0)
    }

    public func toJSON() -> JSONValue {
        .object([
            ("dataVersion", dataVersion.toJSON()),
            ("topicConfigTable", .object(topicConfigTable.sorted { $0.key < $1.key }.map { ($0.key, $0.value.toJSON()) })),
        ])
    }
}

/// `RegisterBrokerBody` (uncompressed form).
public struct RegisterBrokerBody: JSONBody, Equatable {
    public var topicConfigSerializeWrapper: TopicConfigSerializeWrapper
    public var filterServerList: [String]

    public init(topicConfigSerializeWrapper: TopicConfigSerializeWrapper, filterServerList: [String] = []) {
        self.topicConfigSerializeWrapper = topicConfigSerializeWrapper
        self.filterServerList = filterServerList
    }

    public init(json: JSONValue) throws(RemotingError) {
        topicConfigSerializeWrapper = try TopicConfigSerializeWrapper(json: try json.require("topicConfigSerializeWrapper"))
        filterServerList = (json["filterServerList"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    public func toJSON() -> JSONValue {
        .object([
            ("filterServerList", .array(filterServerList.map { .string($0) })),
            ("topicConfigSerializeWrapper", topicConfigSerializeWrapper.toJSON()),
        ])
    }
}
