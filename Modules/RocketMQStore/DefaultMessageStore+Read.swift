//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import RocketMQCommon

/// Reads (Java `DefaultMessageStore.getMessage` and friends).
extension DefaultMessageStore {
    /// Reads up to `maxMsgNums` messages of one queue starting at logical `offset`.
    ///
    /// Status and `nextBeginOffset` follow upstream's rules: an offset below the minimum, at the
    /// maximum, or beyond it yields OFFSET_TOO_SMALL / OFFSET_OVERFLOW_ONE / OFFSET_OVERFLOW_BADLY with
    /// a corrected next offset (not corrected on a slave unless `offsetCheckInSlave`). Batches stop at
    /// `maxTransferCountOnMessageInMemory` / `maxTransferBytesOnMessageInMemory` (and `maxTotalBytes`).
    public func getMessage(
        group: String, topic: String, queueID: Int32, offset: Int64, maxMsgNums: Int, maxTotalBytes: Int = .max,
        filter: (any MessageFilter)? = nil
    ) -> GetMessageResult {
        func correct(_ old: Int64, _ new: Int64) -> Int64 {
            self.config.brokerRole != .slave || self.config.offsetCheckInSlave ? new : old
        }
        guard let queue = self.consumeQueues.find(topic: topic, queueID: queueID) else {
            return GetMessageResult(
                status: .noMatchedLogicQueue, nextBeginOffset: correct(offset, 0), minOffset: 0, maxOffset: 0)
        }
        let minOffset = queue.minOffsetInQueue
        let maxOffset = queue.maxOffsetInQueue
        var result = GetMessageResult(
            status: .noMessageInQueue, nextBeginOffset: offset, minOffset: minOffset, maxOffset: maxOffset)
        if maxOffset == 0 {
            result.status = .noMessageInQueue
            result.nextBeginOffset = correct(offset, 0)
            return result
        }
        if offset < minOffset {
            result.status = .offsetTooSmall
            result.nextBeginOffset = correct(offset, minOffset)
            return result
        }
        if offset == maxOffset {
            result.status = .offsetOverflowOne
            result.nextBeginOffset = correct(offset, offset)
            return result
        }
        if offset > maxOffset {
            result.status = .offsetOverflowBadly
            result.nextBeginOffset = correct(offset, minOffset == 0 ? minOffset : maxOffset)
            return result
        }
        guard let units = queue.indexBuffer(startIndex: offset) else {
            result.status = .offsetFoundNull
            result.nextBeginOffset = correct(offset, queue.rollNextFile(index: offset))
            return result
        }
        result.status = .noMatchedMessage
        let maxCount = min(maxMsgNums, self.config.maxTransferCountOnMessageInMemory)
        let maxBytes = min(maxTotalBytes, self.config.maxTransferBytesOnMessageInMemory)
        let maxFilterCount = max(16_000, maxMsgNums * 20)
        let unitCount = units.size / ConsumeQueue.unitSize
        var nextPhyFileStart = Int64.min
        var maxPhyOffsetPulling: Int64 = 0
        var i = 0
        var cachedFile: MappedFile? = nil
        units.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            while i < unitCount && i < maxFilterCount {
                let position = i * ConsumeQueue.unitSize
                let offsetPy = base.loadInt64BE(at: position)
                let sizePy = Int(base.loadInt32BE(at: position + 8))
                let tagsCode = base.loadInt64BE(at: position + 12)
                maxPhyOffsetPulling = offsetPy
                if nextPhyFileStart != Int64.min && offsetPy < nextPhyFileStart {
                    i += 1
                    continue
                }
                if result.bufferTotalSize > 0 && result.messageCount > 0
                    && (result.messageCount >= maxCount || result.bufferTotalSize + sizePy > maxBytes)
                {
                    break
                }
                if sizePy == Int(ConsumeQueue.fillerSize) {
                    i += 1
                    continue
                }
                if let filter, !filter.isMatchedByConsumeQueue(tagsCode: tagsCode) {
                    i += 1
                    continue
                }
                // Most messages of a batch share a file: skip the file lookup then.
                var slice: SelectMappedBufferResult? = nil
                if let file = cachedFile, offsetPy >= file.fileFromOffset,
                    offsetPy + Int64(sizePy) <= file.fileFromOffset + Int64(file.wrotePosition.load(ordering: .acquiring))
                {
                    slice = file.slice(position: Int(offsetPy - file.fileFromOffset), size: sizePy)
                } else {
                    slice = self.commitLog.getMessage(offset: offsetPy, size: sizePy)
                    cachedFile = slice?.mappedFile
                }
                guard let slice else {
                    if result.bufferTotalSize == 0 { result.status = .messageWasRemoving }
                    nextPhyFileStart = self.commitLog.rollNextFile(offset: offsetPy)
                    i += 1
                    continue
                }
                if let filter, !filter.isMatchedByCommitLog(properties: { Self.properties(of: slice) }) {
                    if result.bufferTotalSize == 0 { result.status = .noMatchedMessage }
                    i += 1
                    continue
                }
                result.add(slice, queueOffset: offset + Int64(i))
                result.status = .found
                nextPhyFileStart = Int64.min
                i += 1
            }
        }
        result.nextBeginOffset = offset + Int64(i)
        let behind = self.commitLog.maxOffset - maxPhyOffsetPulling
        let memory = Int64(Double(Self.totalPhysicalMemory) * Double(self.config.accessMessageInMemoryMaxRatio) / 100)
        result.suggestPullingFromSlave = behind > memory
        return result
    }

    static let totalPhysicalMemory: Int64 = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let size = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && size > 0 ? Int64(pages) * Int64(size) : 8 << 30
    }()

    /// Decodes only the properties of a stored record.
    static func properties(of slice: SelectMappedBufferResult) -> [String: String] {
        slice.withUnsafeBytes { raw -> [String: String] in
            guard let base = raw.baseAddress,
                case .message(let request) = CommitLog.checkRecord(at: base, available: raw.count, checkCRC: false)
            else { return [:] }
            return request.properties
        }
    }

    // MARK: - Offsets

    /// Queue ids that hold consume-queue data for `topic` (a slave knows its replicated topics by these).
    public func queueIDs(ofTopic topic: String) -> [Int32] {
        self.consumeQueues.all.filter { $0.topic == topic }.map(\.queueID).sorted()
    }

    public func maxOffsetInQueue(topic: String, queueID: Int32) -> Int64 {
        self.consumeQueues.find(topic: topic, queueID: queueID)?.maxOffsetInQueue ?? 0
    }

    public func minOffsetInQueue(topic: String, queueID: Int32) -> Int64 {
        // Java creates the queue on lookup, so an unknown queue reads as empty (0), not -1.
        self.consumeQueues.find(topic: topic, queueID: queueID)?.minOffsetInQueue ?? 0
    }

    /// End of the commit log (exclusive).
    public var maxPhyOffset: Int64 { self.commitLog.maxOffset }
    /// Start of the oldest commit-log file still present.
    public var minPhyOffset: Int64 { self.commitLog.minOffset }

    /// Commit-log offset of the message at a queue offset (0 when absent).
    public func commitLogOffsetInQueue(topic: String, queueID: Int32, consumeQueueOffset: Int64) -> Int64 {
        self.consumeQueues.find(topic: topic, queueID: queueID)?.unit(at: consumeQueueOffset)?.offset ?? 0
    }

    /// Store time of the message at a queue offset (-1 when absent).
    public func messageStoreTimestamp(topic: String, queueID: Int32, consumeQueueOffset: Int64) -> Int64 {
        guard let unit = self.consumeQueues.find(topic: topic, queueID: queueID)?.unit(at: consumeQueueOffset),
              unit.size != ConsumeQueue.fillerSize
        else { return -1 }
        return self.commitLog.pickupStoreTimestamp(offset: unit.offset, size: Int(unit.size))
    }

    /// Store time of the oldest message of a queue (-1 when empty).
    public func earliestMessageTime(topic: String, queueID: Int32) -> Int64 {
        self.messageStoreTimestamp(
            topic: topic, queueID: queueID, consumeQueueOffset: self.minOffsetInQueue(topic: topic, queueID: queueID))
    }

    /// First queue offset whose message was stored at or after `timestamp` ms.
    ///
    /// Binary search over the queue using commit-log store times; `maxOffset` when every message is
    /// older, `minOffset` when every message is newer (consumers starting "from timestamp" then read
    /// nothing older than asked).
    public func offsetInQueueByTime(topic: String, queueID: Int32, timestamp: Int64) -> Int64 {
        guard let queue = self.consumeQueues.find(topic: topic, queueID: queueID) else { return 0 }
        var low = queue.minOffsetInQueue
        var high = queue.maxOffsetInQueue
        while low < high {
            let mid = low + (high - low) / 2
            let stored = self.messageStoreTimestamp(topic: topic, queueID: queueID, consumeQueueOffset: mid)
            if stored >= 0 && stored < timestamp {
                low = mid + 1
            } else if stored < 0 && mid > low {
                // Filler or missing record: treat as older.
                low = mid + 1
            } else {
                high = mid
            }
        }
        return low
    }

    // MARK: - Lookups by commit-log offset

    /// The raw stored bytes of the message at a commit-log offset.
    public func selectOneMessageByOffset(_ commitLogOffset: Int64) -> SelectMappedBufferResult? {
        self.commitLog.selectOneMessage(offset: commitLogOffset)
    }

    public func selectOneMessageByOffset(_ commitLogOffset: Int64, size: Int) -> SelectMappedBufferResult? {
        self.commitLog.getMessage(offset: commitLogOffset, size: size)
    }

    /// The decoded message at a commit-log offset.
    public func lookMessageByOffset(_ commitLogOffset: Int64) -> MessageExt? {
        guard let slice = self.selectOneMessageByOffset(commitLogOffset) else { return nil }
        var buffer = slice.byteBuffer
        return try? MessageDecoder.decodeOne(&buffer)
    }

    /// Messages whose UNIQ_KEY or a KEYS token equals `key`, stored within `[begin, end]` ms, newest first.
    public func queryMessage(topic: String, key: String, maxNum: Int, begin: Int64, end: Int64) -> QueryMessageResult {
        var result = QueryMessageResult()
        guard self.config.messageIndexEnable else { return result }
        let found = self.indexService.queryOffset(
            topic: topic, key: key, maxNum: min(maxNum, self.config.maxMsgsNumBatch), begin: begin, end: end)
        result.indexLastUpdateTimestamp = found.indexLastUpdateTimestamp
        result.indexLastUpdatePhyoffset = found.indexLastUpdatePhyoffset
        for offset in found.phyOffsets {
            if let slice = self.selectOneMessageByOffset(offset) { result.messages.append(slice) }
        }
        return result
    }

    /// Commit-log offsets for a key (newest first), without reading the messages.
    public func queryMessageOffsets(topic: String, key: String, maxNum: Int, begin: Int64, end: Int64) -> [Int64] {
        self.indexService.queryOffset(topic: topic, key: key, maxNum: maxNum, begin: begin, end: end).phyOffsets
    }
}
