//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Foundation
import NIOCore
import RocketMQCommon
@testable import RocketMQStore
import Testing

@Suite("Commit log")
struct CommitLogTests {
    @Test func appendRollsToNextFileWithBlankMarker() async throws {
        let dir = TemporaryDirectory("roll")
        defer { dir.remove() }
        let config = StoreTestSupport.config(dir, commitLogFileSize: 4096)
        let store = try StoreTestSupport.open(config)
        defer { store.shutdown() }
        var results: [AppendMessageResult] = []
        for i in 0..<40 {
            let r = await store.putMessage(StoreTestSupport.message(body: "message-\(i)-" + String(repeating: "x", count: 300)))
            #expect(r.status == .putOK)
            results.append(try #require(r.appendResult))
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: config.storePathCommitLog).sorted()
        #expect(names.count >= 4)
        #expect(names[0] == "00000000000000000000")
        #expect(names[1] == "00000000000000004096")
        // The first record of file 1 starts at 4096; the bytes after the last record of file 0 are the marker.
        let firstInSecond = try #require(results.firstIndex { $0.wroteOffset >= 4096 })
        #expect(results[firstInSecond].wroteOffset == 4096)
        let prev = results[firstInSecond - 1]
        let markerOffset = prev.wroteOffset + Int64(prev.wroteBytes)
        let file = try #require(store.commitLog.queue.findMappedFile(offset: 0))
        let remaining = file.readPointer.loadInt32BE(at: Int(markerOffset))
        let magic = file.readPointer.loadInt32BE(at: Int(markerOffset) + 4)
        #expect(Int64(remaining) == 4096 - markerOffset)
        #expect(magic == MessageDecoder.blankMagicCode)
        await StoreTestSupport.waitDispatched(store)
        let got = store.getMessage(group: "g", topic: "TopicTest", queueID: 0, offset: 0, maxMsgNums: 32)
        #expect(got.status == .found)
        #expect(got.messageCount == 32)
        var all: [MessageExt] = []
        var next: Int64 = 0
        while true {
            let r = store.getMessage(group: "g", topic: "TopicTest", queueID: 0, offset: next, maxMsgNums: 32)
            guard r.status == .found else { break }
            var buffer = ByteBuffer()
            r.writeMessages(into: &buffer)
            all += try MessageDecoder.decodeAll(buffer)
            next = r.nextBeginOffset
        }
        #expect(all.count == 40)
        #expect(all.map(\.queueOffset) == (0..<40).map { Int64($0) })
        #expect(all[39].bodyString.hasPrefix("message-39-"))
    }

    @Test func batchGetsConsecutiveQueueOffsets() async throws {
        let dir = TemporaryDirectory("batch")
        defer { dir.remove() }
        let store = try StoreTestSupport.open(StoreTestSupport.config(dir))
        defer { store.shutdown() }
        _ = await store.putMessage(StoreTestSupport.message(queueID: 2, body: "single"))
        let batch = MessageExtBatch(
            topic: "TopicTest", queueID: 2,
            messages: (0..<5).map { StoreTestSupport.message(queueID: 2, body: "b\($0)") })
        let r = await store.putMessages(batch)
        #expect(r.status == .putOK)
        #expect(r.appendResult?.logicsOffset == 1)
        #expect(r.appendResult?.msgNum == 5)
        await StoreTestSupport.waitDispatched(store)
        #expect(store.maxOffsetInQueue(topic: "TopicTest", queueID: 2) == 6)
        let got = store.getMessage(group: "g", topic: "TopicTest", queueID: 2, offset: 1, maxMsgNums: 10)
        var buffer = ByteBuffer()
        got.writeMessages(into: &buffer)
        let decoded = try MessageDecoder.decodeAll(buffer)
        #expect(decoded.map(\.bodyString) == ["b0", "b1", "b2", "b3", "b4"])
        #expect(decoded.map(\.queueOffset) == [1, 2, 3, 4, 5])
    }

    @Test func preparedTransactionsDoNotAdvanceQueue() async throws {
        let dir = TemporaryDirectory("tx")
        defer { dir.remove() }
        let store = try StoreTestSupport.open(StoreTestSupport.config(dir))
        defer { store.shutdown() }
        let half = await store.putMessage(
            StoreTestSupport.message(body: "half", sysFlag: MessageSysFlag.transactionPreparedType))
        #expect(half.appendResult?.logicsOffset == 0)
        let normal = await store.putMessage(StoreTestSupport.message(body: "n"))
        #expect(normal.appendResult?.logicsOffset == 0)
        await StoreTestSupport.waitDispatched(store)
        #expect(store.maxOffsetInQueue(topic: "TopicTest", queueID: 0) == 1)
    }

    @Test func syncFlushPutReturnsOK() async throws {
        let dir = TemporaryDirectory("sync")
        defer { dir.remove() }
        var config = StoreTestSupport.config(dir)
        config.flushDiskType = .syncFlush
        let store = try StoreTestSupport.open(config)
        defer { store.shutdown() }
        let statuses = await withTaskGroup(of: PutMessageStatus.self) { group in
            for i in 0..<64 {
                group.addTask { await store.putMessage(StoreTestSupport.message(body: "sync-\(i)")).status }
            }
            var all: [PutMessageStatus] = []
            for await s in group { all.append(s) }
            return all
        }
        #expect(statuses.count == 64)
        #expect(statuses.allSatisfy { $0 == .putOK })
        #expect(store.commitLog.queue.flushedWhere.load(ordering: .acquiring) >= store.maxPhyOffset)
    }

    @Test func refusesWritesWhenDiskIsFullAndResumes() async throws {
        let dir = TemporaryDirectory("diskfull")
        defer { dir.remove() }
        let usage = DiskUsageBox()
        var config = StoreTestSupport.config(dir)
        config.diskUsageRatio = { _ in usage.value }
        let store = try StoreTestSupport.open(config)
        defer { store.shutdown() }
        #expect(await store.putMessage(StoreTestSupport.message(body: "a")).status == .putOK)
        usage.value = 0.95
        store.checkDiskSpace()
        let refused = await store.putMessage(StoreTestSupport.message(body: "b"))
        #expect(refused.status == .serviceNotAvailable)
        #expect(refused.remark == nil)  // the broker adds upstream's remark with the disk use
        usage.value = 0.5
        store.checkDiskSpace()
        #expect(await store.putMessage(StoreTestSupport.message(body: "c")).status == .putOK)
    }

    @Test func deleteTopicsRemovesQueuesAndCounters() async throws {
        let dir = TemporaryDirectory("deltopic")
        defer { dir.remove() }
        let config = StoreTestSupport.config(dir)
        let store = try StoreTestSupport.open(config)
        defer { store.shutdown() }
        for i in 0..<3 { _ = await store.putMessage(StoreTestSupport.message(topic: "Gone", body: "g\(i)")) }
        _ = await store.putMessage(StoreTestSupport.message(topic: "Kept", body: "k"))
        await StoreTestSupport.waitDispatched(store)
        #expect(store.deleteTopics(["Gone"]) == 1)
        #expect(!FileManager.default.fileExists(atPath: config.storePathConsumeQueue + "/Gone"))
        #expect(store.getMessage(group: "g", topic: "Gone", queueID: 0, offset: 0, maxMsgNums: 1).status == .noMatchedLogicQueue)
        #expect(store.maxOffsetInQueue(topic: "Kept", queueID: 0) == 1)
        let again = await store.putMessage(StoreTestSupport.message(topic: "Gone", body: "new"))
        #expect(again.appendResult?.logicsOffset == 0)
        let info = store.runtimeInfo
        #expect(info["commitLogMaxOffset"] == String(store.maxPhyOffset))
        #expect(info["putMessageTimesTotal"] == "5")
    }

    @Test func retentionDeletesOldFilesAndQueueFollows() async throws {
        let dir = TemporaryDirectory("retention")
        defer { dir.remove() }
        var config = StoreTestSupport.config(dir, commitLogFileSize: 4096)
        config.fileReservedTime = 0
        let store = try StoreTestSupport.open(config)
        defer { store.shutdown() }
        for i in 0..<30 {
            _ = await store.putMessage(StoreTestSupport.message(body: "r\(i)" + String(repeating: "y", count: 300)))
        }
        await StoreTestSupport.waitDispatched(store)
        let deleted = store.executeDeleteFilesManually()
        #expect(deleted >= 1)
        #expect(store.minPhyOffset > 0)
        let minOffset = store.minOffsetInQueue(topic: "TopicTest", queueID: 0)
        #expect(minOffset > 0)
        let tooSmall = store.getMessage(group: "g", topic: "TopicTest", queueID: 0, offset: 0, maxMsgNums: 4)
        #expect(tooSmall.status == .offsetTooSmall)
        #expect(tooSmall.nextBeginOffset == minOffset)
        let found = store.getMessage(group: "g", topic: "TopicTest", queueID: 0, offset: minOffset, maxMsgNums: 4)
        #expect(found.status == .found)
    }
}

/// A mutable disk-usage value shared with the config's closure.
final class DiskUsageBox: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var _value = 0.1
    var value: Double {
        get { self.lock.withLock { self._value } }
        set { self.lock.withLock { self._value = newValue } }
    }
}
