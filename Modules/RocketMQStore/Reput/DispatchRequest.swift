//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// One committed record as seen by dispatchers (Java `DispatchRequest`).
///
/// Built by the reput thread (or recovery) from the stored bytes, never from the appender's input,
/// so a crash-time re-dispatch produces identical consume-queue units and index entries.
public struct DispatchRequest: Sendable {
    public var topic: String
    public var queueID: Int32
    public var commitLogOffset: Int64
    public var msgSize: Int32
    /// Java hash of `TAGS` (or the delivery time for `SCHEDULE_TOPIC_XXXX`).
    public var tagsCode: Int64
    public var storeTimestamp: Int64
    public var consumeQueueOffset: Int64
    /// The `KEYS` property (space-separated), empty when absent.
    public var keys: String
    public var uniqKey: String?
    public var sysFlag: Int32
    public var preparedTransactionOffset: Int64
    public var bornTimestamp: Int64
    public var properties: [String: String]

    public init(
        topic: String, queueID: Int32, commitLogOffset: Int64, msgSize: Int32, tagsCode: Int64,
        storeTimestamp: Int64, consumeQueueOffset: Int64, keys: String, uniqKey: String?, sysFlag: Int32,
        preparedTransactionOffset: Int64, bornTimestamp: Int64, properties: [String: String]
    ) {
        self.topic = topic
        self.queueID = queueID
        self.commitLogOffset = commitLogOffset
        self.msgSize = msgSize
        self.tagsCode = tagsCode
        self.storeTimestamp = storeTimestamp
        self.consumeQueueOffset = consumeQueueOffset
        self.keys = keys
        self.uniqKey = uniqKey
        self.sysFlag = sysFlag
        self.preparedTransactionOffset = preparedTransactionOffset
        self.bornTimestamp = bornTimestamp
        self.properties = properties
    }
}

/// Receives every committed record after the built-in consume-queue and index dispatchers
/// (Java `CommitLogDispatcher`). Runs on whichever thread dispatches (often the appender's event loop,
/// see `ReputMessageService`), one record at a time in log order: keep it short and non-blocking.
public protocol CommitLogDispatcher: Sendable {
    func dispatch(_ request: DispatchRequest)
}

/// Told when a message became readable through its consume queue (Java `MessageArrivingListener`);
/// the broker wakes long polls with it. Runs where the dispatchers run.
///
/// As upstream, `logicOffset` is the queue's new end: the message's queue offset + 1.
public protocol MessageArrivingListener: Sendable {
    func arriving(
        topic: String, queueID: Int32, logicOffset: Int64, tagsCode: Int64, storeTimestamp: Int64,
        properties: [String: String])
}

/// Server-side filtering of a pull (Java `MessageFilter`): the consume-queue check first, the
/// commit-log check (which decodes properties) only when it passes.
public protocol MessageFilter: Sendable {
    func isMatchedByConsumeQueue(tagsCode: Int64) -> Bool
    func isMatchedByCommitLog(properties: () -> [String: String]) -> Bool
}
