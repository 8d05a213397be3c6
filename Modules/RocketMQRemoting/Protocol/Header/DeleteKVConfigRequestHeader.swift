//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// `DeleteKVConfigRequestHeader` (code 102): **namespace**, **key** (PROTOCOL.md §4.9).
public struct DeleteKVConfigRequestHeader: CommandCustomHeader, Equatable {
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
