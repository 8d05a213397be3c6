//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// One hash index file (Java `IndexFile`, PROTOCOL.md §8.3).
///
/// Layout: 40-byte header (`beginTimestamp, endTimestamp, beginPhyOffset, endPhyOffset` int64,
/// `hashSlotCount, indexCount` int32), then `hashSlotNum` int32 slots holding the newest entry number
/// of their bucket, then `indexNum` 20-byte entries `keyHash int32 | phyOffset int64 | timeDiff int32 |
/// prevIndex int32`. Not thread-safe by itself: ``IndexService`` serialises all access.
final class IndexFile {
    static let headerSize = 40
    static let hashSlotSize = 4
    static let indexSize = 20

    let mappedFile: MappedFile
    let hashSlotNum: Int
    let indexNum: Int
    private(set) var beginTimestamp: Int64 = 0
    private(set) var endTimestamp: Int64 = 0
    private(set) var beginPhyOffset: Int64 = 0
    private(set) var endPhyOffset: Int64 = 0
    private(set) var hashSlotCount: Int32 = 0
    /// Next entry number; entry 0 is never used.
    private(set) var indexCount: Int32 = 1

    static func fileSize(hashSlotNum: Int, indexNum: Int) -> Int {
        Self.headerSize + hashSlotNum * Self.hashSlotSize + indexNum * Self.indexSize
    }

    /// Wraps a mapped file; `load` reads an existing header, otherwise the header starts fresh.
    init(mappedFile: MappedFile, hashSlotNum: Int, indexNum: Int, load: Bool) {
        self.mappedFile = mappedFile
        self.hashSlotNum = hashSlotNum
        self.indexNum = indexNum
        if load {
            let p = mappedFile.readPointer
            self.beginTimestamp = p.loadInt64BE(at: 0)
            self.endTimestamp = p.loadInt64BE(at: 8)
            self.beginPhyOffset = p.loadInt64BE(at: 16)
            self.endPhyOffset = p.loadInt64BE(at: 24)
            self.hashSlotCount = p.loadInt32BE(at: 32)
            self.indexCount = max(1, min(p.loadInt32BE(at: 36), Int32(indexNum)))
        }
    }

    var isWriteFull: Bool { Int(self.indexCount) >= self.indexNum }
    var fileName: String { self.mappedFile.path }

    /// |Java hash| of the key, 0 when the absolute value overflows (Java `indexKeyHashMethod`).
    static func keyHash(_ key: String) -> Int32 {
        let h = JavaHash.hashCode(key)
        return h == Int32.min ? 0 : abs(h)
    }

    /// Adds one entry; false when the file is full. The record counts as indexed only once
    /// ``finishRecord(phyOffset:storeTimestamp:)`` has run for it.
    ///
    /// Write order makes a `kill -9` at any instant harmless (the mapping keeps every store that ran):
    /// entry, entry count, then slot. A slot so never points at an uncounted entry; a crash leaves at
    /// most a counted entry no slot reaches, and re-dispatch (the record's end offset has not moved)
    /// puts the record's keys again.
    func putKey(_ key: String, phyOffset: Int64, storeTimestamp: Int64) -> Bool {
        guard !self.isWriteFull else { return false }
        let keyHash = Self.keyHash(key)
        let slotPosition = Self.headerSize + Int(keyHash) % self.hashSlotNum * Self.hashSlotSize
        let base = self.mappedFile.base
        var slotValue = UnsafeRawPointer(base).loadInt32BE(at: slotPosition)
        if slotValue <= 0 || slotValue >= self.indexCount { slotValue = 0 }
        if self.indexCount <= 1 {
            self.beginPhyOffset = phyOffset
            self.beginTimestamp = storeTimestamp
            base.storeInt64BE(self.beginTimestamp, at: 0)
            base.storeInt64BE(self.beginPhyOffset, at: 16)
        }
        var timeDiff = (storeTimestamp - self.beginTimestamp) / 1000
        if timeDiff > Int64(Int32.max) {
            timeDiff = Int64(Int32.max)
        } else if timeDiff < 0 {
            timeDiff = 0
        }
        let number = self.indexCount
        let entryPosition = self.entryPosition(number)
        base.storeInt32BE(keyHash, at: entryPosition)
        base.storeInt64BE(phyOffset, at: entryPosition + 4)
        base.storeInt32BE(Int32(timeDiff), at: entryPosition + 12)
        base.storeInt32BE(slotValue, at: entryPosition + 16)
        if slotValue == 0 { self.hashSlotCount += 1 }
        self.indexCount += 1
        base.storeInt32BE(self.hashSlotCount, at: 32)
        base.storeInt32BE(self.indexCount, at: 36)
        base.storeInt32BE(number, at: slotPosition)
        let used = self.entryPosition(self.indexCount)
        self.mappedFile.wrotePosition.store(min(used, self.mappedFile.fileSize), ordering: .releasing)
        return true
    }

    /// Marks every key of the record at `phyOffset` as written (the header's end offset is what
    /// re-dispatch after a crash skips up to, so it moves only after the record's last key).
    func finishRecord(phyOffset: Int64, storeTimestamp: Int64) {
        self.endPhyOffset = phyOffset
        self.endTimestamp = storeTimestamp
        let base = self.mappedFile.base
        base.storeInt64BE(self.endTimestamp, at: 8)
        base.storeInt64BE(self.endPhyOffset, at: 24)
    }

    private func entryPosition(_ number: Int32) -> Int {
        Self.headerSize + self.hashSlotNum * Self.hashSlotSize + Int(number) * Self.indexSize
    }

    /// Whether the file's time range overlaps `[begin, end]` (Java `isTimeMatched`).
    func isTimeMatched(begin: Int64, end: Int64) -> Bool {
        (begin < self.beginTimestamp && end > self.endTimestamp)
            || (begin >= self.beginTimestamp && begin <= self.endTimestamp)
            || (end >= self.beginTimestamp && end <= self.endTimestamp)
    }

    /// Walks the key's chain, newest first, collecting offsets stored within `[begin, end]`.
    func selectPhyOffset(key: String, maxNum: Int, begin: Int64, end: Int64, into result: inout [Int64]) {
        let keyHash = Self.keyHash(key)
        let p = self.mappedFile.readPointer
        let slotValue = p.loadInt32BE(at: Self.headerSize + Int(keyHash) % self.hashSlotNum * Self.hashSlotSize)
        guard slotValue > 0, slotValue < self.indexCount else { return }
        var next = slotValue
        var steps = 0
        while result.count < maxNum && steps < self.indexNum {
            steps += 1
            let position = Self.headerSize + self.hashSlotNum * Self.hashSlotSize + Int(next) * Self.indexSize
            let hashRead = p.loadInt32BE(at: position)
            let phyOffset = p.loadInt64BE(at: position + 4)
            let timeDiff = Int64(p.loadInt32BE(at: position + 12))
            let prev = p.loadInt32BE(at: position + 16)
            guard timeDiff >= 0 else { break }
            let timeRead = self.beginTimestamp + timeDiff * 1000
            // A record indexed twice (a crash between its keys and its end offset) is reported once.
            if hashRead == keyHash && timeRead >= begin && timeRead <= end && !result.contains(phyOffset) {
                result.append(phyOffset)
            }
            if prev <= 0 || prev >= self.indexCount || prev == next || timeRead < begin { break }
            next = prev
        }
    }

    func flush() {
        self.mappedFile.flush(leastPages: 0)
    }
}
