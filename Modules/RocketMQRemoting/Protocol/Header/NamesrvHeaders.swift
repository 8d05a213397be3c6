//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// `RegisterBrokerRequestHeader` (code 103).
public struct RegisterBrokerRequestHeader: CommandCustomHeader, Equatable {
    public var brokerName: String
    public var brokerAddr: String
    public var clusterName: String
    public var haServerAddr: String
    public var brokerID: Int64
    public var compressed: Bool
    public var bodyCrc32: Int32

    public init(brokerName: String, brokerAddr: String, clusterName: String, haServerAddr: String = "", brokerID: Int64, compressed: Bool = false, bodyCrc32: Int32 = 0) {
        self.brokerName = brokerName
        self.brokerAddr = brokerAddr
        self.clusterName = clusterName
        self.haServerAddr = haServerAddr
        self.brokerID = brokerID
        self.compressed = compressed
        self.bodyCrc32 = bodyCrc32
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        brokerName = try r.string("brokerName")
        brokerAddr = try r.string("brokerAddr")
        clusterName = try r.string("clusterName")
        haServerAddr = r.optionalString("haServerAddr") ?? ""
        brokerID = try r.int64("brokerId")
        compressed = r.bool("compressed")
        bodyCrc32 = r.optionalInt32("bodyCrc32") ?? 0
    }

    public func encode(into f: inout ExtFields) {
        f["brokerName"] = brokerName
        f["brokerAddr"] = brokerAddr
        f["clusterName"] = clusterName
        f["haServerAddr"] = haServerAddr
        f["brokerId"] = String(brokerID)
        f["compressed"] = compressed ? "true" : "false"
        f["bodyCrc32"] = String(bodyCrc32)
    }
}

/// `RegisterBrokerResponseHeader` (code 103 response).
public struct RegisterBrokerResponseHeader: CommandCustomHeader, Equatable {
    public var haServerAddr: String?
    public var masterAddr: String?

    public init(haServerAddr: String? = nil, masterAddr: String? = nil) {
        self.haServerAddr = haServerAddr
        self.masterAddr = masterAddr
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        haServerAddr = r.optionalString("haServerAddr")
        masterAddr = r.optionalString("masterAddr")
    }

    public func encode(into f: inout ExtFields) {
        f.put("haServerAddr", haServerAddr)
        f.put("masterAddr", masterAddr)
    }
}

/// A broker's identity (name, address, cluster, id): the whole of `UnRegisterBrokerRequestHeader` (104) and
/// `QueryDataVersionRequestHeader` (322), which upstream declares as two identical classes.
public struct BrokerIdentityRequestHeader: CommandCustomHeader, Equatable {
    public var brokerName: String
    public var brokerAddr: String
    public var clusterName: String
    public var brokerID: Int64

    public init(brokerName: String, brokerAddr: String, clusterName: String, brokerID: Int64) {
        self.brokerName = brokerName
        self.brokerAddr = brokerAddr
        self.clusterName = clusterName
        self.brokerID = brokerID
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        brokerName = try r.string("brokerName")
        brokerAddr = try r.string("brokerAddr")
        clusterName = try r.string("clusterName")
        brokerID = try r.int64("brokerId")
    }

    public func encode(into f: inout ExtFields) {
        f["brokerName"] = brokerName
        f["brokerAddr"] = brokerAddr
        f["clusterName"] = clusterName
        f["brokerId"] = String(brokerID)
    }
}

public typealias UnRegisterBrokerRequestHeader = BrokerIdentityRequestHeader
public typealias QueryDataVersionRequestHeader = BrokerIdentityRequestHeader

/// `GetRouteInfoRequestHeader` (code 105).
public struct GetRouteInfoRequestHeader: CommandCustomHeader, Equatable {
    public var topic: String
    public var acceptStandardJsonOnly: Bool?

    public init(topic: String, acceptStandardJsonOnly: Bool? = nil) {
        self.topic = topic
        self.acceptStandardJsonOnly = acceptStandardJsonOnly
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        topic = try r.string("topic")
        acceptStandardJsonOnly = r.optionalBool("acceptStandardJsonOnly")
    }

    public func encode(into f: inout ExtFields) {
        f["topic"] = topic
        f.put("acceptStandardJsonOnly", acceptStandardJsonOnly)
    }
}

/// `PutKVConfigRequestHeader` (code 100).
public struct PutKVConfigRequestHeader: CommandCustomHeader, Equatable {
    public var namespace: String
    public var key: String
    public var value: String

    public init(namespace: String, key: String, value: String) {
        self.namespace = namespace
        self.key = key
        self.value = value
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        namespace = try r.string("namespace")
        key = try r.string("key")
        value = try r.string("value")
    }

    public func encode(into f: inout ExtFields) {
        f["namespace"] = namespace
        f["key"] = key
        f["value"] = value
    }
}

/// Java's `DeleteKVConfigRequestHeader` (code 102) has the same fields as ``GetKVConfigRequestHeader``.
public typealias DeleteKVConfigRequestHeader = GetKVConfigRequestHeader

/// `GetKVConfigRequestHeader` (codes 101, 102).
public struct GetKVConfigRequestHeader: CommandCustomHeader, Equatable {
    public var namespace: String
    public var key: String

    public init(namespace: String, key: String) {
        self.namespace = namespace
        self.key = key
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        namespace = try r.string("namespace")
        key = try r.string("key")
    }

    public func encode(into f: inout ExtFields) {
        f["namespace"] = namespace
        f["key"] = key
    }
}

/// `GetKVConfigResponseHeader` (code 101 response).
public struct GetKVConfigResponseHeader: CommandCustomHeader, Equatable {
    public var value: String?

    public init(value: String? = nil) {
        self.value = value
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        value = r.optionalString("value")
    }

    public func encode(into f: inout ExtFields) {
        f.put("value", value)
    }
}

/// `GetKVListByNamespaceRequestHeader` (code 219).
public struct GetKVListByNamespaceRequestHeader: CommandCustomHeader, Equatable {
    public var namespace: String

    public init(namespace: String) {
        self.namespace = namespace
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        namespace = try r.string("namespace")
    }

    public func encode(into f: inout ExtFields) {
        f["namespace"] = namespace
    }
}

/// `WipeWritePermOfBrokerRequestHeader` (codes 205, 327).
public struct WipeWritePermOfBrokerRequestHeader: CommandCustomHeader, Equatable {
    public var brokerName: String

    public init(brokerName: String) {
        self.brokerName = brokerName
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        brokerName = try r.string("brokerName")
    }

    public func encode(into f: inout ExtFields) {
        f["brokerName"] = brokerName
    }
}

/// `WipeWritePermOfBrokerResponseHeader` (code 205 response).
public struct WipeWritePermOfBrokerResponseHeader: CommandCustomHeader, Equatable {
    public var wipeTopicCount: Int32

    public init(wipeTopicCount: Int32) {
        self.wipeTopicCount = wipeTopicCount
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        wipeTopicCount = try r.int32("wipeTopicCount")
    }

    public func encode(into f: inout ExtFields) {
        f["wipeTopicCount"] = String(wipeTopicCount)
    }
}

/// `AddWritePermOfBrokerResponseHeader` (code 327 response).
public struct AddWritePermOfBrokerResponseHeader: CommandCustomHeader, Equatable {
    public var addTopicCount: Int32

    public init(addTopicCount: Int32) {
        self.addTopicCount = addTopicCount
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        addTopicCount = try r.int32("addTopicCount")
    }

    public func encode(into f: inout ExtFields) {
        f["addTopicCount"] = String(addTopicCount)
    }
}

/// `QueryDataVersionResponseHeader` (code 322 response).
public struct QueryDataVersionResponseHeader: CommandCustomHeader, Equatable {
    public var changed: Bool

    public init(changed: Bool = false) {
        self.changed = changed
    }

    public init(extFields: ExtFields) throws(RemotingError) {
        var r = ExtFieldReader(extFields)
        changed = r.bool("changed")
    }

    public func encode(into f: inout ExtFields) {
        f["changed"] = changed ? "true" : "false"
    }
}
