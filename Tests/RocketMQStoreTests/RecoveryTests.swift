//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NIOCore
import RocketMQCommon
@testable import RocketMQStore
import Testing

@Suite("Recovery")
struct RecoveryTests {
    /// Writes `count` messages, shuts down cleanly and returns their append results.
    func populate(_ config: MessageStoreConfig, count: Int, queues: Int32 = 1) async throws -> [AppendMessageResult] {
        let store = try StoreTestSupport.open(config)
        var results: [AppendMessageResult] = []
        for i in 0..<count {
            let r = await store.putMessage(
                StoreTestSupport.message(
                    queueID: Int32(i) % queues, body: "body-\(i)-" + String(repeating: "p", count: i % 50),
                    properties: [MessageConst.keys: "key\(i)", MessageConst.uniqueClientMessageIDKeyIndex: "U\(i)"]))
            results.append(try #require(r.appendResult))
        }
        await StoreTestSupport.waitDispatched(store)
        store.shutdown()
        return results
    }

    func patchFile(_ config: MessageStoreConfig, offset: Int64, _ body: (FileHandle) throws -> Void) throws {
        let fileStart = offset - offset % Int64(config.mappedFileSizeCommitLog)
        let path = config.storePathCommitLog + "/" + MappedFile.fileName(forOffset: fileStart)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset - fileStart))
        try body(handle)
    }

    func checkAllReadable(_ store: DefaultMessageStore, _ results: ArraySlice<AppendMessageResult>) {
        for (i, r) in results.enumerated() {
            let m = store.lookMessageByOffset(r.wroteOffset)
            #expect(m?.bodyString.hasPrefix("body-\(i)-") == true)
        }
    }

    @Test func restartAfterCleanShutdownKeepsEverything() async throws {
        let dir = TemporaryDirectory("clean")
        defer { dir.remove() }
        let config = StoreTestSupport.config(dir, commitLogFileSize: 8192)
        let results = try await self.populate(config, count: 60, queues: 3)
        let store = try StoreTestSupport.open(config)
        defer { store.shutdown() }
        #expect(store.runtimeInfo["lastExitOK"] == "true")
        #expect(store.maxPhyOffset == results.last.map { $0.wroteOffset + Int64($0.wroteBytes) })
        for q in 0..<3 { #expect(store.maxOffsetInQueue(topic: "TopicTest", queueID: Int32(q)) == 20) }
        self.checkAllReadable(store, results[...])
        let got = store.getMessage(group: "g", topic: "TopicTest", queueID: 1, offset: 0, maxMsgNums: 32)
        #expect(got.messageCount == 20)
        #expect(store.queryMessage(topic: "TopicTest", key: "key42", maxNum: 4, begin: 0, end: .max).messages.count == 1)
        let next = await store.putMessage(StoreTestSupport.message(queueID: 1, body: "after"))
        #expect(next.appendResult?.logicsOffset == 20)
    }

    @Test("a crash while creating the next file (empty file, or a .creating leftover) does not stop start-up")
    func interruptedFileCreation() async throws {
        let dir = TemporaryDirectory("creating")
        defer { dir.remove() }
        let config = StoreTestSupport.config(dir, commitLogFileSize: 8192)
        let results = try await self.populate(config, count: 30)
        let end = try #require(results.last.map { $0.wroteOffset + Int64($0.wroteBytes) })
        let nextStart = (end / 8192 + 2) * 8192
        let empty = config.storePathCommitLog + "/" + MappedFile.fileName(forOffset: nextStart)
        let leftover = config.storePathCommitLog + "/" + MappedFile.fileName(forOffset: nextStart + 8192) + ".creating"
        for path in [empty, leftover] { #expect(FileManager.default.createFile(atPath: path, contents: Data())) }
        let abort = open(config.abortFilePath, O_CREAT | O_WRONLY, 0o644)
        close(abort)

        let store = try StoreTestSupport.open(config)
        defer { store.shutdown() }
        #expect(store.runtimeInfo["lastExitOK"] == "false")
        #expect(store.maxPhyOffset == end)
        self.checkAllReadable(store, results[...])
        #expect(!FileManager.default.fileExists(atPath: empty))
        #expect(!FileManager.default.fileExists(atPath: leftover))
        let r = await store.putMessage(StoreTestSupport.message(queueID: 0, body: "after"))
        #expect(r.appendResult?.wroteOffset == end)
    }

    @Test(arguments: ["flip", "truncate"])
    func crashDropsTornLastRecordOnly(mode: String) async throws {
        let dir = TemporaryDirectory("torn-\(mode)")
        defer { dir.remove() }
        let config = StoreTestSupport.config(dir, commitLogFileSize: 8192)
        let results = try await self.populate(config, count: 30)
        let last = try #require(results.last)
        StoreTestSupport.touch(config.abortFilePath)
        if mode == "flip" {
            // First body byte (offset 88 with IPv4 hosts): the body CRC no longer matches.
            try self.patchFile(config, offset: last.wroteOffset + 88) { handle in handle.write(Data([0xFF])) }
        } else {
            // A torn write: the second half of the record never reached the file.
            let half = Int64(last.wroteBytes / 2)
            try self.patchFile(config, offset: last.wroteOffset + half) { handle in
                handle.write(Data(repeating: 0, count: Int(last.wroteBytes) - Int(half)))
            }
        }
        let store = try StoreTestSupport.open(config)
        defer { store.shutdown() }
        #expect(store.runtimeInfo["lastExitOK"] == "false")
        #expect(store.maxPhyOffset == last.wroteOffset)
        #expect(store.maxOffsetInQueue(topic: "TopicTest", queueID: 0) == 29)
        #expect(store.lookMessageByOffset(last.wroteOffset) == nil)
        self.checkAllReadable(store, results.dropLast())
        // The torn bytes are gone: the tail after the valid end reads as zero.
        let file = try #require(store.commitLog.queue.findMappedFile(offset: last.wroteOffset))
        let position = Int(last.wroteOffset - file.fileFromOffset)
        let tail = UnsafeRawBufferPointer(start: file.readPointer + position, count: Int(last.wroteBytes))
        #expect(tail.allSatisfy { $0 == 0 })
        let again = await store.putMessage(StoreTestSupport.message(body: "replacement"))
        #expect(again.appendResult?.wroteOffset == last.wroteOffset)
        #expect(again.appendResult?.logicsOffset == 29)
        await StoreTestSupport.waitDispatched(store)
        let read = store.getMessage(group: "g", topic: "TopicTest", queueID: 0, offset: 29, maxMsgNums: 1)
        #expect(read.messages.first.flatMap(StoreTestSupport.decode)?.bodyString == "replacement")
    }

    @Test func crashRebuildsMissingConsumeQueuesAndZeroTailIsEnd() async throws {
        let dir = TemporaryDirectory("rebuild")
        defer { dir.remove() }
        let config = StoreTestSupport.config(dir, commitLogFileSize: 4096)
        let results = try await self.populate(config, count: 25, queues: 2)
        StoreTestSupport.touch(config.abortFilePath)
        try FileManager.default.removeItem(atPath: config.storePathConsumeQueue)
        // A pre-allocated, never written next file: zero-filled.
        let names = try FileManager.default.contentsOfDirectory(atPath: config.storePathCommitLog).sorted()
        let lastName = try #require(names.last)
        let lastStart = try #require(Int64(lastName))
        let spare = config.storePathCommitLog + "/" + MappedFile.fileName(forOffset: lastStart + 4096)
        FileManager.default.createFile(atPath: spare, contents: Data(count: 4096))
        let store = try StoreTestSupport.open(config)
        defer { store.shutdown() }
        let end = results.last.map { $0.wroteOffset + Int64($0.wroteBytes) }
        #expect(store.maxPhyOffset == end)
        #expect(store.maxOffsetInQueue(topic: "TopicTest", queueID: 0) == 13)
        #expect(store.maxOffsetInQueue(topic: "TopicTest", queueID: 1) == 12)
        self.checkAllReadable(store, results[...])
        let got = store.getMessage(group: "g", topic: "TopicTest", queueID: 1, offset: 0, maxMsgNums: 32)
        #expect(got.messageCount == 12)
        let next = await store.putMessage(StoreTestSupport.message(queueID: 0, body: "next"))
        #expect(next.appendResult?.logicsOffset == 13)
        #expect(next.appendResult?.wroteOffset == end)
    }
}
