//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// Outcome of a put (Java `PutMessageStatus`; raw values are upstream's names).
public enum PutMessageStatus: String, Sendable {
    case putOK = "PUT_OK"
    case flushDiskTimeout = "FLUSH_DISK_TIMEOUT"
    case flushSlaveTimeout = "FLUSH_SLAVE_TIMEOUT"
    case slaveNotAvailable = "SLAVE_NOT_AVAILABLE"
    case serviceNotAvailable = "SERVICE_NOT_AVAILABLE"
    case createMappedFileFailed = "CREATE_MAPEDFILE_FAILED"
    case messageIllegal = "MESSAGE_ILLEGAL"
    case propertiesSizeExceeded = "PROPERTIES_SIZE_EXCEEDED"
    case osPageCacheBusy = "OS_PAGECACHE_BUSY"
    case unknownError = "UNKNOWN_ERROR"
}

/// Where and when an append landed (Java `AppendMessageResult`).
public struct AppendMessageResult: Sendable {
    /// Commit-log offset of the first record written.
    public var wroteOffset: Int64
    /// Bytes written (all records of a batch).
    public var wroteBytes: Int32
    public var storeTimestamp: Int64
    /// Queue offset of the first record.
    public var logicsOffset: Int64
    /// Records written (1, or the batch size).
    public var msgNum: Int32
    /// Store host of the records, for the offset id.
    public var storeHost: SocketAddressBytes
    /// Commit-log offset of each record of a batch, in order (empty for a single message).
    public var recordOffsets: [Int64] = []

    public init(wroteOffset: Int64, wroteBytes: Int32, storeTimestamp: Int64, logicsOffset: Int64, msgNum: Int32,
                storeHost: SocketAddressBytes) {
        self.wroteOffset = wroteOffset
        self.wroteBytes = wroteBytes
        self.storeTimestamp = storeTimestamp
        self.logicsOffset = logicsOffset
        self.msgNum = msgNum
        self.storeHost = storeHost
    }

    /// Offset message id of the first record (PROTOCOL.md §7.1); computed on demand to keep appends cheap.
    public var msgID: String { MessageID.offsetMessageID(storeHost: self.storeHost, commitLogOffset: self.wroteOffset) }
}

/// Result of ``DefaultMessageStore/putMessage(_:)`` (Java `PutMessageResult`).
public struct PutMessageResult: Sendable {
    public var status: PutMessageStatus
    public var appendResult: AppendMessageResult?
    /// Human-readable reason for a refusal (never contains message data).
    public var remark: String?

    public init(status: PutMessageStatus, appendResult: AppendMessageResult? = nil, remark: String? = nil) {
        self.status = status
        self.appendResult = appendResult
        self.remark = remark
    }

    public var isOK: Bool { self.status == .putOK }
}
