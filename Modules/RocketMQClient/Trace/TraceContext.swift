//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Names and separators of message trace (Java `TraceConstants`).
public enum TraceConstants {
    /// Separates the fields of one record.
    public static let contentSplitor: Character = "\u{1}"
    /// Ends a record.
    public static let fieldSplitor: Character = "\u{2}"
    /// Trace producers' group is this prefix, "-", and the traced client's group.
    public static let groupNamePrefix = "_INNER_TRACE_PRODUCER"
    public static let traceInstanceName = "PID_CLIENT_INNER_TRACE_PRODUCER"
}

/// The kind of a trace record (Java `TraceType`); the raw value is the record's first field.
public enum TraceType: String, Sendable {
    case pub = "Pub"
    case subBefore = "SubBefore"
    case subAfter = "SubAfter"
    case endTransaction = "EndTransaction"
}

/// Java `MessageType`; traces carry its ordinal.
public enum TraceMessageType: Int, Sendable {
    case normal = 0
    case transactionHalf = 1
    case transactionCommit = 2
    case delay = 3
    case order = 4
}

/// One message's part of a trace record (Java `TraceBean`). Absent tags/keys encode as "null", as Java's
/// `StringBuilder.append(null)` writes them.
public struct TraceBean: Sendable, Equatable {
    public var topic = ""
    public var msgID = ""
    public var offsetMsgID = ""
    public var tags: String?
    public var keys: String?
    public var storeHost = ""
    public var bodyLength = 0
    public var msgType = TraceMessageType.normal
    public var retryTimes: Int32 = 0

    public init() {}
}

/// One trace event (Java `TraceContext`): a send (Pub), or the start/end of consuming (SubBefore/SubAfter).
public struct TraceContext: Sendable, Equatable {
    public var traceType: TraceType
    public var timeStamp: Int64
    public var regionID = ""
    public var groupName = ""
    public var costTime = 0
    public var isSuccess = true
    public var requestID = ""
    /// Java `ConsumeReturnType` ordinal (SubAfter).
    public var contextCode = 0
    public var beans: [TraceBean]

    public init(traceType: TraceType, timeStamp: Int64, beans: [TraceBean]) {
        self.traceType = traceType
        self.timeStamp = timeStamp
        self.beans = beans
    }
}
