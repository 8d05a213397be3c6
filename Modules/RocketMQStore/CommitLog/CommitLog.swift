//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import RocketMQCommon
import Synchronization

/// The append-only commit log (Java `CommitLog`).
///
/// Concurrency (STYLE.md §5): the append path is one synchronous `Mutex` critical section that
/// assigns offsets and the store time, copies pre-encoded bytes into the mapped file and switches to
/// the pre-allocated next file. The end of written data is published through ``maxPhysicalOffset``
/// (release) after the copy, which is what readers and the reput thread go by.
final class CommitLog: Sendable {
    struct TopicQueueKey: Hashable, Sendable {
        var topic: String
        var queueID: Int32
    }

    /// State owned by the append lock.
    struct AppendState: Sendable {
        var current: MappedFile?
        /// Next file, created by the allocation thread ahead of need.
        var preallocated: MappedFile?
        /// Next queue offset per topic-queue (Java `topicQueueTable`).
        var topicQueueTable: [TopicQueueKey: Int64] = [:]
    }

    /// Where a record sits inside an encoded buffer, for patching under the lock.
    struct RecordSlot {
        var start: Int
        var storeTimestampPosition: Int
    }

    enum AppendOutcome: Sendable {
        case appended(AppendMessageResult, fileSwitched: Bool)
        case failed(PutMessageStatus, String)
    }

    static let blankMagicCode = MessageDecoder.blankMagicCode
    /// Room always left for the end-of-file marker.
    static let endFileMinBlankLength = 8

    let config: MessageStoreConfig
    let queue: MappedFileQueue
    let logger: Logger
    let state = Mutex(AppendState())
    /// End of committed data (exclusive), published after each append.
    let maxPhysicalOffset = Atomic<Int64>(0)
    let allocator: ServiceThread

    init(config: MessageStoreConfig, logger: Logger) {
        self.config = config
        self.queue = MappedFileQueue(directory: config.storePathCommitLog, fileSize: config.mappedFileSizeCommitLog)
        self.logger = logger
        self.allocator = ServiceThread(name: "AllocateMappedFileService")
    }

    var fileSize: Int { self.config.mappedFileSizeCommitLog }
    var maxOffset: Int64 { self.maxPhysicalOffset.load(ordering: .acquiring) }
    var minOffset: Int64 {
        guard let first = self.queue.firstMappedFile else { return -1 }
        return first.fileFromOffset
    }

    // MARK: - Append

    /// Appends one message without waiting for the disk.
    func putMessage(_ message: MessageExtBrokerInner) -> AppendOutcome {
        let sysFlag: Int32
        var buffer = ByteBuffer()
        do {
            sysFlag = try MessageEncoder.encode(message, maxMessageSize: self.config.maxMessageSize, into: &buffer)
        } catch {
            return .failed(error.status, error.remark)
        }
        let slot = RecordSlot(start: 0, storeTimestampPosition: MessageEncoder.storeTimestampPosition(sysFlag: sysFlag))
        let tranType = MessageSysFlag.transactionValue(sysFlag)
        let isTransactionHalfOrRollback =
            tranType == MessageSysFlag.transactionPreparedType || tranType == MessageSysFlag.transactionRollbackType
        return self.append(
            buffer, slots: CollectionOfOne(slot), key: TopicQueueKey(topic: message.topic, queueID: message.queueID),
            advancesQueue: !isTransactionHalfOrRollback, storeHost: message.storeHost)
    }

    /// Appends a batch with consecutive queue offsets, all in one file.
    func putMessages(_ batch: MessageExtBatch) -> AppendOutcome {
        guard !batch.messages.isEmpty else { return .failed(.messageIllegal, "empty batch") }
        var buffer = ByteBuffer()
        var slots: [RecordSlot] = []
        slots.reserveCapacity(batch.messages.count)
        for message in batch.messages {
            guard message.topic == batch.topic, message.queueID == batch.queueID else {
                return .failed(.messageIllegal, "batch messages must share topic and queue")
            }
            let tranType = MessageSysFlag.transactionValue(message.sysFlag)
            guard tranType == MessageSysFlag.transactionNotType else {
                return .failed(.messageIllegal, "transactional messages cannot be batched")
            }
            let start = buffer.writerIndex
            do {
                let sysFlag = try MessageEncoder.encode(
                    message, maxMessageSize: self.config.maxMessageSize, into: &buffer)
                slots.append(
                    RecordSlot(start: start, storeTimestampPosition: MessageEncoder.storeTimestampPosition(sysFlag: sysFlag)))
            } catch {
                return .failed(error.status, error.remark)
            }
        }
        let outcome = self.append(
            buffer, slots: slots, key: TopicQueueKey(topic: batch.topic, queueID: batch.queueID), advancesQueue: true,
            storeHost: batch.messages[0].storeHost)
        guard case .appended(var result, let switched) = outcome else { return outcome }
        result.recordOffsets = slots.map { result.wroteOffset + Int64($0.start) }
        return .appended(result, fileSwitched: switched)
    }

    /// The critical section: no allocation (except a first-seen queue key), no logging, no I/O
    /// unless the allocation thread fell behind.
    private func append<Slots: Collection>(
        _ encoded: ByteBuffer, slots: Slots, key: TopicQueueKey, advancesQueue: Bool, storeHost: SocketAddressBytes
    ) -> AppendOutcome where Slots.Element == RecordSlot {
        let total = encoded.readableBytes
        let fileSize = self.fileSize
        guard total + Self.endFileMinBlankLength <= fileSize else {
            return .failed(.messageIllegal, "message of \(total) bytes does not fit a commit-log file")
        }
        let count = slots.count
        return encoded.withUnsafeReadableBytes { source -> AppendOutcome in
            self.state.withLock { s -> AppendOutcome in
                var switched = false
                var file: MappedFile
                if let current = s.current, !current.isFull {
                    file = current
                } else {
                    let from = s.current.map { $0.fileFromOffset + Int64(fileSize) } ?? self.maxOffset
                    guard let next = self.takeNextFile(&s, from: from) else {
                        return .failed(.createMappedFileFailed, "cannot create commit-log file")
                    }
                    file = next
                    switched = true
                }
                var position = file.wrotePosition.load(ordering: .relaxed)
                if total + Self.endFileMinBlankLength > fileSize - position {
                    let remaining = fileSize - position
                    file.base.storeInt32BE(Int32(remaining), at: position)
                    file.base.storeInt32BE(Self.blankMagicCode, at: position + 4)
                    file.wrotePosition.store(fileSize, ordering: .releasing)
                    guard let next = self.takeNextFile(&s, from: file.fileFromOffset + Int64(fileSize)) else {
                        self.maxPhysicalOffset.store(file.fileFromOffset + Int64(fileSize), ordering: .releasing)
                        return .failed(.createMappedFileFailed, "cannot create commit-log file")
                    }
                    file = next
                    position = 0
                    switched = true
                }
                let storeTimestamp = Clock.millis()
                let physicalBase = file.fileFromOffset + Int64(position)
                let firstQueueOffset = advancesQueue ? (s.topicQueueTable[key] ?? 0) : 0
                let destination = file.base + position
                if let src = source.baseAddress {
                    memcpy(destination, src, total)
                }
                var index: Int64 = 0
                for slot in slots {
                    let record = destination + slot.start
                    record.storeInt64BE(advancesQueue ? firstQueueOffset + index : 0, at: MessageEncoder.queueOffsetPosition)
                    record.storeInt64BE(physicalBase + Int64(slot.start), at: MessageEncoder.physicalOffsetPosition)
                    record.storeInt64BE(storeTimestamp, at: slot.storeTimestampPosition)
                    index += 1
                }
                if advancesQueue { s.topicQueueTable[key] = firstQueueOffset + Int64(count) }
                file.lastStoreTimestamp.store(storeTimestamp, ordering: .relaxed)
                file.wrotePosition.store(position + total, ordering: .releasing)
                self.maxPhysicalOffset.store(physicalBase + Int64(total), ordering: .releasing)
                let result = AppendMessageResult(
                    wroteOffset: physicalBase, wroteBytes: Int32(total), storeTimestamp: storeTimestamp,
                    logicsOffset: firstQueueOffset, msgNum: Int32(count), storeHost: storeHost)
                return .appended(result, fileSwitched: switched)
            }
        }
    }

    /// Switches to the pre-allocated file, or creates one synchronously when the allocator fell behind.
    func takeNextFile(_ s: inout AppendState, from: Int64) -> MappedFile? {
        let next: MappedFile
        if let ready = s.preallocated, ready.fileFromOffset == from {
            s.preallocated = nil
            next = ready
        } else {
            // A pre-created file for another offset (a slave starting at its master's newest file)
            // must not stay on disk: it would load as an empty first file at the next start.
            s.preallocated?.destroy()
            s.preallocated = nil
            guard let created = try? self.queue.createFile(at: from) else { return nil }
            next = created
        }
        self.queue.append(next)
        s.current = next
        return next
    }

    // MARK: - Allocation

    /// Starts the thread that creates (and optionally warms) the next file ahead of the appender.
    func startAllocator() {
        // The first file of an empty log is created here, at start-up, rather than by the first append.
        let needsFirst = self.state.withLock { $0.current == nil }
        if needsFirst {
            let from = self.maxOffset - self.maxOffset % Int64(self.fileSize)
            if let file = try? self.queue.createFile(at: from) {
                if self.config.warmMapedFileEnable { file.warm() }
                self.state.withLock { s in
                    if s.current == nil { s.preallocated = file }
                }
            }
        }
        self.allocator.start { [self] in
            while !self.allocator.isStopped {
                self.preallocateIfNeeded()
                self.allocator.waitForRunning(milliseconds: 1000)
            }
        }
        self.allocator.wakeup()
    }

    private func preallocateIfNeeded() {
        let needed: Int64? = self.state.withLock { s in
            guard let current = s.current else { return nil }
            let from = current.fileFromOffset + Int64(self.fileSize)
            if let ready = s.preallocated, ready.fileFromOffset == from { return nil }
            return from
        }
        guard let from = needed else { return }
        do {
            let file = try self.queue.createFile(at: from)
            if self.config.warmMapedFileEnable { file.warm() }
            self.state.withLock { s in
                if let current = s.current, current.fileFromOffset + Int64(self.fileSize) == from {
                    s.preallocated = file
                }
            }
        } catch {
            self.logger.warning("pre-allocating commit-log file failed", metadata: ["error": "\(error)"])
        }
    }

    // MARK: - Recovery support

    /// Re-initialises append state after recovery found the valid end.
    func resetAppendState(validEnd: Int64, topicQueueTable: [TopicQueueKey: Int64]) {
        self.state.withLock { s in
            s.current = self.queue.lastMappedFile
            s.preallocated = nil
            s.topicQueueTable = topicQueueTable
        }
        self.maxPhysicalOffset.store(validEnd, ordering: .releasing)
    }

    var topicQueueTable: [TopicQueueKey: Int64] { self.state.withLock { $0.topicQueueTable } }

    func removeQueueOffsets(topic: String) {
        self.state.withLock { s in
            s.topicQueueTable = s.topicQueueTable.filter { $0.key.topic != topic }
        }
    }

    // MARK: - Reads

    /// The bytes of one record (or nil when that part of the log was deleted or is not written yet).
    func getMessage(offset: Int64, size: Int) -> SelectMappedBufferResult? {
        guard size > 0, let file = self.queue.findMappedFile(offset: offset) else { return nil }
        let position = Int(offset - file.fileFromOffset)
        guard position + size <= file.wrotePosition.load(ordering: .acquiring) else { return nil }
        return file.slice(position: position, size: size)
    }

    /// Same as ``getMessage(offset:size:)`` but reading the size from the record itself.
    func selectOneMessage(offset: Int64) -> SelectMappedBufferResult? {
        guard let file = self.queue.findMappedFile(offset: offset) else { return nil }
        let position = Int(offset - file.fileFromOffset)
        let written = file.wrotePosition.load(ordering: .acquiring)
        guard position + 8 <= written else { return nil }
        let size = Int(file.readPointer.loadInt32BE(at: position))
        let magic = file.readPointer.loadInt32BE(at: position + 4)
        guard magic == MessageDecoder.messageMagicCode, size > 0, position + size <= written else { return nil }
        return file.slice(position: position, size: size)
    }

    /// STORETIMESTAMP of the record at `offset` (-1 when unavailable).
    func pickupStoreTimestamp(offset: Int64, size: Int) -> Int64 {
        guard let slice = self.getMessage(offset: offset, size: size), size >= 64 else { return -1 }
        return slice.withUnsafeBytes { raw -> Int64 in
            guard let base = raw.baseAddress else { return -1 }
            let sysFlag = base.loadInt32BE(at: StoredRecordLayout.sysFlagPosition)
            let position = MessageEncoder.storeTimestampPosition(sysFlag: sysFlag)
            guard position + 8 <= raw.count else { return -1 }
            return base.loadInt64BE(at: position)
        }
    }

    /// Start of the file after the one containing `offset` (Java `rollNextFile`).
    func rollNextFile(offset: Int64) -> Int64 {
        let size = Int64(self.fileSize)
        return offset + size - offset % size
    }
}
