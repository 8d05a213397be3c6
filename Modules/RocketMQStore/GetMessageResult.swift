//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore

/// Outcome of a read from a consume queue (Java `GetMessageStatus`; raw values are upstream's names).
public enum GetMessageStatus: String, Sendable {
    case found = "FOUND"
    case noMatchedMessage = "NO_MATCHED_MESSAGE"
    case messageWasRemoving = "MESSAGE_WAS_REMOVING"
    case offsetFoundNull = "OFFSET_FOUND_NULL"
    case offsetOverflowBadly = "OFFSET_OVERFLOW_BADLY"
    case offsetOverflowOne = "OFFSET_OVERFLOW_ONE"
    case offsetTooSmall = "OFFSET_TOO_SMALL"
    case noMatchedLogicQueue = "NO_MATCHED_LOGIC_QUEUE"
    case noMessageInQueue = "NO_MESSAGE_IN_QUEUE"
}

/// Messages found by ``DefaultMessageStore/getMessage(group:topic:queueID:offset:maxMsgNums:maxTotalBytes:filter:)``
/// (Java `GetMessageResult`), as zero-copy slices of the commit log.
public struct GetMessageResult: Sendable {
    public var status: GetMessageStatus
    /// Where the consumer should read next.
    public var nextBeginOffset: Int64
    public var minOffset: Int64
    public var maxOffset: Int64
    /// One slice per message, in queue order.
    public var messages: [SelectMappedBufferResult] = []
    /// Queue offset of each message in ``messages``.
    public var messageQueueOffsets: [Int64] = []
    public var bufferTotalSize: Int = 0
    /// Hint that the consumer lags so far behind that a slave should serve it.
    public var suggestPullingFromSlave = false

    public init(status: GetMessageStatus, nextBeginOffset: Int64, minOffset: Int64, maxOffset: Int64) {
        self.status = status
        self.nextBeginOffset = nextBeginOffset
        self.minOffset = minOffset
        self.maxOffset = maxOffset
    }

    public var messageCount: Int { self.messages.count }

    mutating func add(_ slice: SelectMappedBufferResult, queueOffset: Int64) {
        self.messages.append(slice)
        self.messageQueueOffsets.append(queueOffset)
        self.bufferTotalSize += slice.size
    }

    /// Appends every message's stored bytes to `buffer`: one copy per message, no decoding.
    public func writeMessages(into buffer: inout ByteBuffer) {
        buffer.reserveCapacity(minimumWritableBytes: self.bufferTotalSize)
        for slice in self.messages {
            slice.withUnsafeBytes { _ = buffer.writeBytes($0) }
        }
    }
}

/// Result of a key query (Java `QueryMessageResult`).
public struct QueryMessageResult: Sendable {
    /// Stored bytes of each matching message, newest first.
    public var messages: [SelectMappedBufferResult] = []
    public var indexLastUpdateTimestamp: Int64 = 0
    public var indexLastUpdatePhyoffset: Int64 = 0
    public var bufferTotalSize: Int { self.messages.reduce(0) { $0 + $1.size } }

    public init() {}

    public func writeMessages(into buffer: inout ByteBuffer) {
        for slice in self.messages {
            slice.withUnsafeBytes { _ = buffer.writeBytes($0) }
        }
    }
}
