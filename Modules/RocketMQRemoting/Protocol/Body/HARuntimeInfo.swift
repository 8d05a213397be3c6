//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// GET_BROKER_HA_STATUS (907) body (5.x `HARuntimeInfo`, fastjson field names): a master's slaves or a
/// slave's link to its master, as `mqadmin haStatus` prints them.
public struct HARuntimeInfo: JSONBody, Equatable {
    public struct Connection: Sendable, Equatable {
        public var addr: String
        public var slaveAckOffset: Int64
        public var diff: Int64
        public var inSync: Bool
        public var transferredByteInSecond: Int64
        public var transferFromWhere: Int64

        public init(addr: String, slaveAckOffset: Int64, diff: Int64, inSync: Bool, transferredByteInSecond: Int64,
                    transferFromWhere: Int64) {
            self.addr = addr
            self.slaveAckOffset = slaveAckOffset
            self.diff = diff
            self.inSync = inSync
            self.transferredByteInSecond = transferredByteInSecond
            self.transferFromWhere = transferFromWhere
        }
    }

    public struct Client: Sendable, Equatable {
        public var masterAddr: String
        public var transferredByteInSecond: Int64
        public var maxOffset: Int64
        public var lastReadTimestamp: Int64
        public var lastWriteTimestamp: Int64
        public var masterFlushOffset: Int64
        public var activated: Bool

        public init(masterAddr: String = "", transferredByteInSecond: Int64 = 0, maxOffset: Int64 = 0,
                    lastReadTimestamp: Int64 = 0, lastWriteTimestamp: Int64 = 0, masterFlushOffset: Int64 = 0,
                    activated: Bool = false) {
            self.masterAddr = masterAddr
            self.transferredByteInSecond = transferredByteInSecond
            self.maxOffset = maxOffset
            self.lastReadTimestamp = lastReadTimestamp
            self.lastWriteTimestamp = lastWriteTimestamp
            self.masterFlushOffset = masterFlushOffset
            self.activated = activated
        }
    }

    public var master: Bool
    public var masterCommitLogMaxOffset: Int64
    public var inSyncSlaveNums: Int32
    public var haConnectionInfo: [Connection]
    public var haClientRuntimeInfo: Client

    public init(master: Bool, masterCommitLogMaxOffset: Int64, inSyncSlaveNums: Int32, haConnectionInfo: [Connection],
                haClientRuntimeInfo: Client) {
        self.master = master
        self.masterCommitLogMaxOffset = masterCommitLogMaxOffset
        self.inSyncSlaveNums = inSyncSlaveNums
        self.haConnectionInfo = haConnectionInfo
        self.haClientRuntimeInfo = haClientRuntimeInfo
    }

    public init(json: JSONValue) throws(RemotingError) {
        self.master = json["master"]?.boolValue ?? false
        self.masterCommitLogMaxOffset = json["masterCommitLogMaxOffset"]?.int64Value ?? 0
        self.inSyncSlaveNums = json["inSyncSlaveNums"]?.int32Value ?? 0
        self.haConnectionInfo = (json["haConnectionInfo"]?.arrayValue ?? []).map { c in
            Connection(
                addr: c["addr"]?.stringValue ?? "", slaveAckOffset: c["slaveAckOffset"]?.int64Value ?? 0,
                diff: c["diff"]?.int64Value ?? 0, inSync: c["inSync"]?.boolValue ?? false,
                transferredByteInSecond: c["transferredByteInSecond"]?.int64Value ?? 0,
                transferFromWhere: c["transferFromWhere"]?.int64Value ?? 0)
        }
        let c = json["haClientRuntimeInfo"]
        self.haClientRuntimeInfo = Client(
            masterAddr: c?["masterAddr"]?.stringValue ?? "",
            transferredByteInSecond: c?["transferredByteInSecond"]?.int64Value ?? 0,
            maxOffset: c?["maxOffset"]?.int64Value ?? 0, lastReadTimestamp: c?["lastReadTimestamp"]?.int64Value ?? 0,
            lastWriteTimestamp: c?["lastWriteTimestamp"]?.int64Value ?? 0,
            masterFlushOffset: c?["masterFlushOffset"]?.int64Value ?? 0, activated: c?["activated"]?.boolValue ?? false)
    }

    public func toJSON() -> JSONValue {
        let c = self.haClientRuntimeInfo
        return .object([
            ("haClientRuntimeInfo", .object([
                ("activated", .bool(c.activated)), ("lastReadTimestamp", .int(c.lastReadTimestamp)),
                ("lastWriteTimestamp", .int(c.lastWriteTimestamp)), ("masterAddr", .string(c.masterAddr)),
                ("masterFlushOffset", .int(c.masterFlushOffset)), ("maxOffset", .int(c.maxOffset)),
                ("transferredByteInSecond", .int(c.transferredByteInSecond)),
            ])),
            ("haConnectionInfo", .array(self.haConnectionInfo.map { h in
                .object([
                    ("addr", .string(h.addr)), ("diff", .int(h.diff)), ("inSync", .bool(h.inSync)),
                    ("slaveAckOffset", .int(h.slaveAckOffset)), ("transferFromWhere", .int(h.transferFromWhere)),
                    ("transferredByteInSecond", .int(h.transferredByteInSecond)),
                ])
            })),
            ("inSyncSlaveNums", .int(Int64(self.inSyncSlaveNums))),
            ("master", .bool(self.master)),
            ("masterCommitLogMaxOffset", .int(self.masterCommitLogMaxOffset)),
        ])
    }
}
