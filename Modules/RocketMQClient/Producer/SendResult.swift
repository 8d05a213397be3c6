//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting

/// How a send ended on the broker (Java `SendStatus`). All four mean the message was stored.
public enum SendStatus: String, Sendable {
    case sendOK = "SEND_OK"
    case flushDiskTimeout = "FLUSH_DISK_TIMEOUT"
    case flushSlaveTimeout = "FLUSH_SLAVE_TIMEOUT"
    case slaveNotAvailable = "SLAVE_NOT_AVAILABLE"

    /// Maps the send response code (0/10/12/11); nil for anything else.
    init?(responseCode: ResponseCode) {
        switch responseCode {
        case .success: self = .sendOK
        case .flushDiskTimeout: self = .flushDiskTimeout
        case .flushSlaveTimeout: self = .flushSlaveTimeout
        case .slaveNotAvailable: self = .slaveNotAvailable
        default: return nil
        }
    }
}

/// The result of a successful send (Java `SendResult`).
public struct SendResult: Sendable, Equatable, CustomStringConvertible {
    public var sendStatus: SendStatus
    /// The client id (`UNIQ_KEY`); comma-joined for a batch.
    public var msgID: String
    /// The broker id (store host + commit-log offset); comma-joined for a batch.
    public var offsetMsgID: String
    public var messageQueue: MessageQueue
    public var queueOffset: Int64
    public var transactionID: String?
    public var regionID: String?
    public var traceOn: Bool

    public init(sendStatus: SendStatus, msgID: String, offsetMsgID: String, messageQueue: MessageQueue,
                queueOffset: Int64, transactionID: String? = nil, regionID: String? = nil, traceOn: Bool = true) {
        self.sendStatus = sendStatus
        self.msgID = msgID
        self.offsetMsgID = offsetMsgID
        self.messageQueue = messageQueue
        self.queueOffset = queueOffset
        self.transactionID = transactionID
        self.regionID = regionID
        self.traceOn = traceOn
    }

    /// Upstream's `toString()` exactly, so logs read the same as a Java client's.
    public var description: String {
        "SendResult [sendStatus=\(sendStatus.rawValue), msgId=\(msgID), offsetMsgId=\(offsetMsgID), "
            + "messageQueue=\(messageQueue), queueOffset=\(queueOffset)]"
    }
}
