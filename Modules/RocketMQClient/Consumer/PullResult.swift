//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// What a pull found (Java `PullStatus`). Expected outcomes are values, not errors.
public enum PullStatus: String, Sendable {
    case found = "FOUND"
    /// Response 19 PULL_NOT_FOUND: nothing new yet.
    case noNewMsg = "NO_NEW_MSG"
    /// Response 20 PULL_RETRY_IMMEDIATELY: entries were scanned but none matched the filter.
    case noMatchedMsg = "NO_MATCHED_MSG"
    /// Response 21 PULL_OFFSET_MOVED: the requested offset is out of range; use `nextBeginOffset`.
    case offsetIllegal = "OFFSET_ILLEGAL"
}

/// One pull's outcome (Java `PullResult`); messages are already decoded, filtered and decompressed.
public struct PullResult: Sendable {
    public var status: PullStatus
    public var nextBeginOffset: Int64
    public var minOffset: Int64
    public var maxOffset: Int64
    public var messages: [MessageExt]

    public init(status: PullStatus, nextBeginOffset: Int64, minOffset: Int64, maxOffset: Int64,
                messages: [MessageExt] = []) {
        self.status = status
        self.nextBeginOffset = nextBeginOffset
        self.minOffset = minOffset
        self.maxOffset = maxOffset
        self.messages = messages
    }
}
