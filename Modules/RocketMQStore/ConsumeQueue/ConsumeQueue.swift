//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import Synchronization

/// The index of one topic-queue into the commit log (Java `ConsumeQueue`, PROTOCOL.md §8.2).
///
/// Units are 20 bytes: `int64 commitLogOffset | int32 size | int64 tagsCode`; logical offset N lives
/// at byte N×20. Written only by the dispatching thread, one at a time (or recovery before start);
/// readers see units up to the file's published `wrotePosition`.
final class ConsumeQueue: Sendable {
    static let unitSize = 20
    /// Size of filler units written before the first unit of a queue that starts past offset 0.
    static let fillerSize = Int32.max

    let topic: String
    let queueID: Int32
    let queue: MappedFileQueue
    let logger: Logger
    /// End (offset + size) of the last commit-log record indexed here.
    let maxPhysicOffset = Atomic<Int64>(-1)
    /// Byte offset of the first valid unit.
    let minLogicOffset = Atomic<Int64>(0)

    init(topic: String, queueID: Int32, rootDirectory: String, fileSize: Int, logger: Logger) {
        self.topic = topic
        self.queueID = queueID
        self.queue = MappedFileQueue(
            directory: rootDirectory + "/" + topic + "/" + String(queueID),
            fileSize: fileSize - fileSize % Self.unitSize, reservation: .incremental)
        self.logger = logger
    }

    var fileSize: Int { self.queue.fileSize }

    /// Exclusive end of logical offsets (number of units written, counting fillers).
    var maxOffsetInQueue: Int64 { self.queue.maxOffset / Int64(Self.unitSize) }
    var minOffsetInQueue: Int64 { self.minLogicOffset.load(ordering: .acquiring) / Int64(Self.unitSize) }

    // MARK: - Recovery

    /// Finds the last valid unit in the last three files and truncates after it (Java `recover`).
    func recover() {
        let files = self.queue.mappedFiles
        guard !files.isEmpty else { return }
        var index = max(0, files.count - 3)
        var processOffset = files[index].fileFromOffset
        var maxPhysic: Int64 = -1
        scan: while index < files.count {
            let file = files[index]
            var position = 0
            while position + Self.unitSize <= self.fileSize {
                let offset = file.readPointer.loadInt64BE(at: position)
                let size = file.readPointer.loadInt32BE(at: position + 8)
                guard offset >= 0, size > 0 else { break scan }
                if size != Self.fillerSize {
                    // Units point at ever later records; one that does not is a torn page, not data.
                    guard offset >= maxPhysic else { break scan }
                    maxPhysic = offset + Int64(size)
                }
                position += Self.unitSize
                processOffset = file.fileFromOffset + Int64(position)
            }
            index += 1
        }
        self.queue.truncateDirtyFiles(offset: processOffset)
        self.zeroTail(from: processOffset)
        if maxPhysic >= 0 { self.maxPhysicOffset.store(maxPhysic, ordering: .releasing) }
    }

    /// Drops units pointing at or past `phyOffset` (Java `truncateDirtyLogicFiles`).
    func truncateDirtyLogicFiles(phyOffset: Int64) {
        let files = self.queue.mappedFiles
        var cut: Int64? = nil
        var maxPhysic: Int64 = -1
        outer: for file in files {
            let written = file.wrotePosition.load(ordering: .acquiring)
            var position = 0
            while position + Self.unitSize <= written {
                let offset = file.readPointer.loadInt64BE(at: position)
                let size = file.readPointer.loadInt32BE(at: position + 8)
                if size != Self.fillerSize {
                    if offset + Int64(size) > phyOffset {
                        cut = file.fileFromOffset + Int64(position)
                        break outer
                    }
                    maxPhysic = offset + Int64(size)
                }
                position += Self.unitSize
            }
        }
        if let cut {
            self.queue.truncateDirtyFiles(offset: cut)
            self.zeroTail(from: cut)
            self.maxPhysicOffset.store(maxPhysic, ordering: .releasing)
        }
    }

    private func zeroTail(from offset: Int64) {
        guard let file = self.queue.findMappedFile(offset: offset) else { return }
        let position = Int(offset - file.fileFromOffset)
        var end = position
        while end + Self.unitSize <= self.fileSize
            && (file.readPointer.loadInt64BE(at: end) != 0 || file.readPointer.loadInt32BE(at: end + 8) != 0)
        {
            end += Self.unitSize
        }
        file.zero(from: position, to: end)
    }

    /// Sets the first valid logical offset to the first unit whose record still exists (Java `correctMinOffset`).
    func correctMinOffset(phyMinOffset: Int64) {
        guard let file = self.queue.firstMappedFile else { return }
        let written = file.wrotePosition.load(ordering: .acquiring)
        var position = 0
        while position + Self.unitSize <= written {
            let offset = file.readPointer.loadInt64BE(at: position)
            let size = file.readPointer.loadInt32BE(at: position + 8)
            if size != Self.fillerSize && offset >= phyMinOffset {
                self.minLogicOffset.store(file.fileFromOffset + Int64(position), ordering: .releasing)
                return
            }
            position += Self.unitSize
        }
        self.minLogicOffset.store(file.fileFromOffset + Int64(written), ordering: .releasing)
    }

    /// Deletes files whose last unit points before `phyMinOffset` (Java `deleteExpiredFile`).
    @discardableResult
    func deleteExpiredFiles(phyMinOffset: Int64) -> Int {
        var deleted = 0
        for file in self.queue.mappedFiles.dropLast() {
            let last = file.readPointer.loadInt64BE(at: self.fileSize - Self.unitSize)
            guard last < phyMinOffset else { break }
            self.queue.removeFirst(file)
            deleted += 1
        }
        self.correctMinOffset(phyMinOffset: phyMinOffset)
        return deleted
    }

    // MARK: - Writing (reput thread)

    /// Appends one unit unless it is already there (Java `putMessagePositionInfoWrapper`).
    func putMessagePositionInfo(offset: Int64, size: Int32, tagsCode: Int64, consumeQueueOffset: Int64) -> Bool {
        let expectLogicOffset = consumeQueueOffset * Int64(Self.unitSize)
        let wasEmpty = self.queue.isEmpty
        let file: MappedFile
        do {
            file = try self.queue.lastMappedFile(startOffset: expectLogicOffset)
        } catch {
            self.logger.error("cannot create consume-queue file", metadata: ["topic": "\(self.topic)"])
            return false
        }
        var position = file.wrotePosition.load(ordering: .relaxed)
        let fillsFirst = wasEmpty && consumeQueueOffset != 0 && position == 0
        let writeEnd = fillsFirst ? Int(expectLogicOffset - file.fileFromOffset) + Self.unitSize : position + Self.unitSize
        guard file.reserve(through: min(writeEnd, file.fileSize)) else {
            self.logger.error("no disk space for a consume-queue unit", metadata: ["topic": "\(self.topic)", "queueId": "\(self.queueID)"])
            return false
        }
        if fillsFirst {
            // A queue starting past 0 in a fresh file: fill up to the first unit (Java `fillPreBlank`).
            self.minLogicOffset.store(expectLogicOffset, ordering: .releasing)
            self.queue.flushedWhere.store(expectLogicOffset, ordering: .releasing)
            let fillUntil = Int(expectLogicOffset - file.fileFromOffset)
            while position < fillUntil {
                file.base.storeInt64BE(0, at: position)
                file.base.storeInt32BE(Self.fillerSize, at: position + 8)
                file.base.storeInt64BE(0, at: position + 12)
                position += Self.unitSize
            }
            file.flushedPosition.store(fillUntil, ordering: .releasing)
        }
        let current = file.fileFromOffset + Int64(position)
        if expectLogicOffset < current {
            // Already there, unless a torn page kept a unit that passed recovery's checks with the wrong
            // record: the commit log is the truth, so such a unit is rewritten in place.
            if let existing = self.queue.findMappedFile(offset: expectLogicOffset) {
                let at = Int(expectLogicOffset - existing.fileFromOffset)
                if existing.readPointer.loadInt64BE(at: at) != offset || existing.readPointer.loadInt32BE(at: at + 8) != size {
                    self.logger.warning(
                        "consume queue unit disagrees with the commit log; rewritten",
                        metadata: ["topic": "\(self.topic)", "queueId": "\(self.queueID)", "offset": "\(consumeQueueOffset)"])
                    existing.base.storeInt64BE(offset, at: at)
                    existing.base.storeInt32BE(size, at: at + 8)
                    existing.base.storeInt64BE(tagsCode, at: at + 12)
                    let flushed = existing.flushedPosition.load(ordering: .acquiring)
                    if flushed > at { existing.flushedPosition.store(at, ordering: .releasing) }
                    return true
                }
            }
            return true  // built already: crash recovery re-dispatches what the queues hold
        }
        if expectLogicOffset != current {
            self.logger.warning(
                "consume queue order may be wrong",
                metadata: ["topic": "\(self.topic)", "expected": "\(expectLogicOffset)", "current": "\(current)"])
        }
        file.base.storeInt64BE(offset, at: position)
        file.base.storeInt32BE(size, at: position + 8)
        file.base.storeInt64BE(tagsCode, at: position + 12)
        self.maxPhysicOffset.store(offset + Int64(size), ordering: .releasing)
        file.wrotePosition.store(position + Self.unitSize, ordering: .releasing)
        return true
    }

    // MARK: - Reading

    /// Units from logical offset `startIndex` to the end of its file (Java `getIndexBuffer`).
    func indexBuffer(startIndex: Int64) -> SelectMappedBufferResult? {
        let offset = startIndex * Int64(Self.unitSize)
        guard offset >= self.minLogicOffset.load(ordering: .acquiring),
              let file = self.queue.findMappedFile(offset: offset)
        else { return nil }
        let position = Int(offset - file.fileFromOffset)
        let written = file.wrotePosition.load(ordering: .acquiring)
        guard position < written else { return nil }
        return file.slice(position: position, size: written - position)
    }

    /// The unit at one logical offset.
    func unit(at index: Int64) -> (offset: Int64, size: Int32, tagsCode: Int64)? {
        guard let slice = self.indexBuffer(startIndex: index), slice.size >= Self.unitSize else { return nil }
        return slice.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return nil }
            return (base.loadInt64BE(at: 0), base.loadInt32BE(at: 8), base.loadInt64BE(at: 12))
        }
    }

    /// Logical offset where the next file starts (Java `rollNextFile`).
    func rollNextFile(index: Int64) -> Int64 {
        let unitsPerFile = Int64(self.fileSize / Self.unitSize)
        return index + unitsPerFile - index % unitsPerFile
    }

    /// Flushes dirty units; called by the consume-queue flush thread only.
    func flush(leastPages: Int) {
        if leastPages == 0 { self.queue.flushAll() } else { self.queue.flush(leastPages: leastPages) }
    }

    func destroy() {
        self.queue.destroyAll()
        self.maxPhysicOffset.store(-1, ordering: .releasing)
        self.minLogicOffset.store(0, ordering: .releasing)
    }
}
