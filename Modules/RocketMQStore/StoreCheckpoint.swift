//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import Synchronization

/// The `checkpoint` file (Java `StoreCheckpoint`, PROTOCOL.md §8.4).
///
/// A 4 KiB mapped file: offset 0 `physicMsgTimestamp`, 8 `logicsMsgTimestamp`, 16 `indexMsgTimestamp`,
/// 24 `masterFlushedOffset`, 32 `confirmPhyOffset` (all int64 big-endian; the last two as in 5.x).
/// Values live in atomics updated by the flush and reput threads; ``flush()`` writes them out.
/// `confirmPhyOffset` holds the commit-log end at clean shutdown, so a clean start checks only the tail.
final class StoreCheckpoint: Sendable {
    static let fileSize = 4096

    let path: String
    private let file = Mutex<MappedFile?>(nil)
    let physicMsgTimestamp = Atomic<Int64>(0)
    let logicsMsgTimestamp = Atomic<Int64>(0)
    let indexMsgTimestamp = Atomic<Int64>(0)
    let masterFlushedOffset = Atomic<Int64>(0)
    let confirmPhyOffset = Atomic<Int64>(0)

    init(path: String) {
        self.path = path
    }

    /// Maps the file (creating it zeroed) and reads the stored values.
    func load() throws(StoreError) {
        let file = try MappedFile.open(path: self.path, fileFromOffset: 0, fileSize: Self.fileSize, create: true)
        self.file.withLock { $0 = file }
        let p = file.readPointer
        self.physicMsgTimestamp.store(Self.plausible(p.loadInt64BE(at: 0)), ordering: .relaxed)
        self.logicsMsgTimestamp.store(Self.plausible(p.loadInt64BE(at: 8)), ordering: .relaxed)
        self.indexMsgTimestamp.store(Self.plausible(p.loadInt64BE(at: 16)), ordering: .relaxed)
        self.masterFlushedOffset.store(p.loadInt64BE(at: 24), ordering: .relaxed)
        self.confirmPhyOffset.store(p.loadInt64BE(at: 32), ordering: .relaxed)
    }

    /// A stored time, or 0 (unknown: recovery rescans from the first file) when it cannot be one: a page
    /// torn before its first sync reads as garbage, and trusting a time in the future would skip the
    /// rescan of records the consume queues never got.
    static func plausible(_ millis: Int64) -> Int64 {
        millis >= 0 && millis <= Clock.millis() + 3_600_000 ? millis : 0
    }

    /// Writes the values and syncs the page.
    func flush() {
        guard let file = self.file.withLock({ $0 }) else { return }
        let base = file.base
        base.storeInt64BE(self.physicMsgTimestamp.load(ordering: .acquiring), at: 0)
        base.storeInt64BE(self.logicsMsgTimestamp.load(ordering: .acquiring), at: 8)
        base.storeInt64BE(self.indexMsgTimestamp.load(ordering: .acquiring), at: 16)
        base.storeInt64BE(self.masterFlushedOffset.load(ordering: .acquiring), at: 24)
        base.storeInt64BE(self.confirmPhyOffset.load(ordering: .acquiring), at: 32)
        file.flushedPosition.store(0, ordering: .relaxed)
        file.wrotePosition.store(40, ordering: .releasing)
        file.flush(leastPages: 0)
    }

    /// Upstream's safe point for crash recovery: min(physic, logics[, index]) − 3 s.
    func minTimestamp(includeIndex: Bool) -> Int64 {
        var value = min(self.physicMsgTimestamp.load(ordering: .acquiring), self.logicsMsgTimestamp.load(ordering: .acquiring))
        if includeIndex { value = min(value, self.indexMsgTimestamp.load(ordering: .acquiring)) }
        return max(0, value - 3000)
    }
}
