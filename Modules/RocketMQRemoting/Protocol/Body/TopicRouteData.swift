//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// `QueueData`: one broker's queues for a topic.
public struct QueueData: JSONBody, Hashable {
    public var brokerName: String
    public var readQueueNums: Int32
    public var writeQueueNums: Int32
    public var perm: Int32
    public var topicSysFlag: Int32

    public init(brokerName: String, readQueueNums: Int32, writeQueueNums: Int32, perm: Int32, topicSysFlag: Int32 = 0) {
        self.brokerName = brokerName
        self.readQueueNums = readQueueNums
        self.writeQueueNums = writeQueueNums
        self.perm = perm
        self.topicSysFlag = topicSysFlag
    }

    public init(json: JSONValue) throws(RemotingError) {
        brokerName = try json.string("brokerName")
        readQueueNums = json["readQueueNums"]?.int32Value ?? 0
        writeQueueNums = json["writeQueueNums"]?.int32Value ?? 0
        perm = json["perm"]?.int32Value ?? 0
        topicSysFlag = (json["topicSysFlag"] ?? json["topicSynFlag"])?.int32Value ?? 0
    }

    public func toJSON() -> JSONValue {
        .object([("brokerName", .string(brokerName)), ("perm", .int(perm)), ("readQueueNums", .int(readQueueNums)),
                 ("topicSysFlag", .int(topicSysFlag)), ("writeQueueNums", .int(writeQueueNums))])
    }
}

/// `BrokerData`: a broker group's addresses by broker id (0 = master).
public struct BrokerData: JSONBody, Hashable {
    public var cluster: String
    public var brokerName: String
    public var brokerAddrs: [Int64: String]

    public init(cluster: String, brokerName: String, brokerAddrs: [Int64: String]) {
        self.cluster = cluster
        self.brokerName = brokerName
        self.brokerAddrs = brokerAddrs
    }

    public init(json: JSONValue) throws(RemotingError) {
        cluster = json["cluster"]?.stringValue ?? ""
        brokerName = try json.string("brokerName")
        var addrs: [Int64: String] = [:]
        for (k, v) in json["brokerAddrs"]?.objectValue ?? [] {
            if let id = Int64(k), let a = v.stringValue { addrs[id] = a }
        }
        brokerAddrs = addrs
    }

    /// Numeric map keys are always quoted: standard JSON that Java, C++ and Go all read.
    public func toJSON() -> JSONValue {
        .object([
            ("brokerAddrs", .object(brokerAddrs.sorted { $0.key < $1.key }.map { (String($0.key), .string($0.value)) })),
            ("brokerName", .string(brokerName)), ("cluster", .string(cluster)),
        ])
    }

    /// The master's address, else any slave's (Java `selectBrokerAddr`).
    public var selectBrokerAddr: String? { brokerAddrs[0] ?? brokerAddrs.values.sorted().first }
}

/// `TopicRouteData` (GET_ROUTEINFO_BY_TOPIC).
public struct TopicRouteData: JSONBody, Equatable {
    public var orderTopicConf: String?
    public var queueDatas: [QueueData]
    public var brokerDatas: [BrokerData]
    public var filterServerTable: [String: [String]]

    public init(orderTopicConf: String? = nil, queueDatas: [QueueData], brokerDatas: [BrokerData],
                filterServerTable: [String: [String]] = [:]) {
        self.orderTopicConf = orderTopicConf
        self.queueDatas = queueDatas
        self.brokerDatas = brokerDatas
        self.filterServerTable = filterServerTable
    }

    public init(json: JSONValue) throws(RemotingError) {
        orderTopicConf = json["orderTopicConf"]?.stringValue
        var q: [QueueData] = []
        for v in json["queueDatas"]?.arrayValue ?? [] { q.append(try QueueData(json: v)) }
        queueDatas = q
        var b: [BrokerData] = []
        for v in json["brokerDatas"]?.arrayValue ?? [] { b.append(try BrokerData(json: v)) }
        brokerDatas = b
        var f: [String: [String]] = [:]
        for (k, v) in json["filterServerTable"]?.objectValue ?? [] { f[k] = (v.arrayValue ?? []).compactMap(\.stringValue) }
        filterServerTable = f
    }

    public func toJSON() -> JSONValue {
        var m: [(String, JSONValue)] = [
            ("brokerDatas", .array(brokerDatas.map { $0.toJSON() })),
            ("filterServerTable", .object(filterServerTable.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map { .string($0) })) })),
        ]
        if let orderTopicConf { m.append(("orderTopicConf", .string(orderTopicConf))) }
        m.append(("queueDatas", .array(queueDatas.map { $0.toJSON() })))
        return .object(m)
    }
}

/// `ClusterInfo` (GET_BROKER_CLUSTER_INFO).
public struct ClusterInfo: JSONBody, Equatable {
    public var brokerAddrTable: [String: BrokerData]
    public var clusterAddrTable: [String: [String]]

    public init(brokerAddrTable: [String: BrokerData], clusterAddrTable: [String: [String]]) {
        self.brokerAddrTable = brokerAddrTable
        self.clusterAddrTable = clusterAddrTable
    }

    public init(json: JSONValue) throws(RemotingError) {
        var b: [String: BrokerData] = [:]
        for (k, v) in json["brokerAddrTable"]?.objectValue ?? [] { b[k] = try BrokerData(json: v) }
        brokerAddrTable = b
        var c: [String: [String]] = [:]
        for (k, v) in json["clusterAddrTable"]?.objectValue ?? [] { c[k] = (v.arrayValue ?? []).compactMap(\.stringValue) }
        clusterAddrTable = c
    }

    public func toJSON() -> JSONValue {
        .object([
            ("brokerAddrTable", .object(brokerAddrTable.sorted { $0.key < $1.key }.map { ($0.key, $0.value.toJSON()) })),
            ("clusterAddrTable", .object(clusterAddrTable.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.sorted().map { .string($0) })) })),
        ])
    }
}
