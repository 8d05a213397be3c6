//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Response codes (`RemotingSysResponseCode` + `ResponseCode`). An open set, like `RequestCode`.
public struct ResponseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public init(_ rawValue: Int32) { self.rawValue = rawValue }
    public var description: String { Self.names[rawValue].map { "\($0)(\(rawValue))" } ?? "\(rawValue)" }

    public static let success = ResponseCode(0)
    public static let systemError = ResponseCode(1)
    public static let systemBusy = ResponseCode(2)
    public static let requestCodeNotSupported = ResponseCode(3)
    public static let transactionFailed = ResponseCode(4)
    public static let flushDiskTimeout = ResponseCode(10)
    public static let slaveNotAvailable = ResponseCode(11)
    public static let flushSlaveTimeout = ResponseCode(12)
    public static let messageIllegal = ResponseCode(13)
    public static let serviceNotAvailable = ResponseCode(14)
    public static let versionNotSupported = ResponseCode(15)
    public static let noPermission = ResponseCode(16)
    public static let topicNotExist = ResponseCode(17)
    public static let topicExistAlready = ResponseCode(18)
    public static let pullNotFound = ResponseCode(19)
    public static let pullRetryImmediately = ResponseCode(20)
    public static let pullOffsetMoved = ResponseCode(21)
    public static let queryNotFound = ResponseCode(22)
    public static let subscriptionParseFailed = ResponseCode(23)
    public static let subscriptionNotExist = ResponseCode(24)
    public static let subscriptionNotLatest = ResponseCode(25)
    public static let subscriptionGroupNotExist = ResponseCode(26)
    public static let filterDataNotExist = ResponseCode(27)
    public static let filterDataNotLatest = ResponseCode(28)
    public static let transactionShouldCommit = ResponseCode(200)
    public static let transactionShouldRollback = ResponseCode(201)
    public static let transactionStateUnknow = ResponseCode(202)
    public static let transactionStateGroupWrong = ResponseCode(203)
    public static let noBuyerID = ResponseCode(204)
    public static let notInCurrentUnit = ResponseCode(205)
    public static let consumerNotOnline = ResponseCode(206)
    public static let consumeMsgTimeout = ResponseCode(207)
    public static let noMessage = ResponseCode(208)

    static let names: [Int32: String] = [
        0: "SUCCESS", 1: "SYSTEM_ERROR", 2: "SYSTEM_BUSY", 3: "REQUEST_CODE_NOT_SUPPORTED",
        4: "TRANSACTION_FAILED", 10: "FLUSH_DISK_TIMEOUT", 11: "SLAVE_NOT_AVAILABLE", 12: "FLUSH_SLAVE_TIMEOUT",
        13: "MESSAGE_ILLEGAL", 14: "SERVICE_NOT_AVAILABLE", 15: "VERSION_NOT_SUPPORTED", 16: "NO_PERMISSION",
        17: "TOPIC_NOT_EXIST", 18: "TOPIC_EXIST_ALREADY", 19: "PULL_NOT_FOUND", 20: "PULL_RETRY_IMMEDIATELY",
        21: "PULL_OFFSET_MOVED", 22: "QUERY_NOT_FOUND", 23: "SUBSCRIPTION_PARSE_FAILED",
        24: "SUBSCRIPTION_NOT_EXIST", 25: "SUBSCRIPTION_NOT_LATEST", 26: "SUBSCRIPTION_GROUP_NOT_EXIST",
        27: "FILTER_DATA_NOT_EXIST", 28: "FILTER_DATA_NOT_LATEST", 200: "TRANSACTION_SHOULD_COMMIT",
        201: "TRANSACTION_SHOULD_ROLLBACK", 202: "TRANSACTION_STATE_UNKNOW", 203: "TRANSACTION_STATE_GROUP_WRONG",
        204: "NO_BUYER_ID", 205: "NOT_IN_CURRENT_UNIT", 206: "CONSUMER_NOT_ONLINE", 207: "CONSUME_MSG_TIMEOUT",
        208: "NO_MESSAGE",
    ]
}

/// An error that knows its wire form. The remoting dispatcher maps these once; anything else becomes
/// `SYSTEM_ERROR` with the error's description.
public protocol ResponseCodeConvertible: Error {
    var responseCode: ResponseCode { get }
    var remark: String? { get }
}

/// A ready-made refusal: a response code with a readable remark.
public struct RemotingRefusal: ResponseCodeConvertible, CustomStringConvertible {
    public var responseCode: ResponseCode
    public var remark: String?
    public init(_ code: ResponseCode, _ remark: String) {
        self.responseCode = code
        self.remark = remark
    }
    public var description: String { "\(responseCode): \(remark ?? "")" }
}
