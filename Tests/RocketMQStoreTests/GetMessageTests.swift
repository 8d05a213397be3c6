//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Foundation
import NIOCore
import RocketMQCommon
@testable import RocketMQStore
import Testing

struct TagFilter: MessageFilter {
    let tagsCode: Int64
    func isMatchedByConsumeQueue(tagsCode: Int64) -> Bool { tagsCode == self.tagsCode }
    func isMatchedByCommitLog(properties: () -> [String: String]) -> Bool { true }
}

struct PropertyFilter: MessageFilter {
    let key: String
    let value: String
    func isMatchedByConsumeQueue(tagsCode: Int64) -> Bool { true }
    func isMatchedByCommitLog(properties: () -> [String: String]) -> Bool { properties()[self.key] == self.value }
}

@Suite("Get message")
struct GetMessageTests {
    @Test func everyStatusIsReachable() async throws {
        let dir = TemporaryDirectory("status")
        defer { dir.remove() }
        let store = try StoreTestSupport.open(StoreTestSupport.config(dir, commitLogFileSize: 4096, cqUnits: 10))
        defer { store.shutdown() }
        for i in 0..<25 {
            let tag = i % 2 == 0 ? "even" : "odd"
            _ = await store.putMessage(
                StoreTestSupport.message(
                    body: "m\(i)" + String(repeating: "z", count: 200),
                    properties: [MessageConst.tags: tag, "n": String(i)]))
        }
        await StoreTestSupport.waitDispatched(store)
        func get(_ offset: Int64, topic: String = "TopicTest", queueID: Int32 = 0, filter: (any MessageFilter)? = nil)
            -> GetMessageResult
        {
            store.getMessage(group: "g", topic: topic, queueID: queueID, offset: offset, maxMsgNums: 8, filter: filter)
        }
        let found = get(3)
        #expect(found.status == .found)
        // As upstream, one read never crosses a consume-queue file (10 units here).
        #expect(found.messageCount == 7)
        #expect(found.nextBeginOffset == 10)
        #expect(get(10).messageCount == 8)
        #expect(found.minOffset == 0 && found.maxOffset == 25)

        let odd = get(0, filter: TagFilter(tagsCode: MessageExtBrokerInner.tagsString2tagsCode("odd")))
        #expect(odd.status == .found)
        #expect(odd.messageQueueOffsets == [1, 3, 5, 7, 9])

        let byProperty = get(0, filter: PropertyFilter(key: "n", value: "4"))
        #expect(byProperty.messageQueueOffsets == [4])

        let none = get(0, filter: TagFilter(tagsCode: 42))
        #expect(none.status == .noMatchedMessage)
        #expect(none.nextBeginOffset == 10)  // scanned to the end of the first consume-queue file

        #expect(get(25).status == .offsetOverflowOne)
        #expect(get(25).nextBeginOffset == 25)
        let badly = get(100)
        #expect(badly.status == .offsetOverflowBadly)
        #expect(badly.nextBeginOffset == 0)  // min offset is 0, so upstream resets to it
        #expect(get(0, topic: "Nope").status == .noMatchedLogicQueue)
        _ = store.findConsumeQueue(topic: "Empty", queueID: 0)
        #expect(get(5, topic: "Empty").status == .noMessageInQueue)
        #expect(get(5, topic: "Empty").nextBeginOffset == 0)

        // A consume-queue file that vanished under a still-valid minimum: OFFSET_FOUND_NULL.
        let queue = try #require(store.consumeQueues.find(topic: "TopicTest", queueID: 0))
        let firstCQ = try #require(queue.queue.firstMappedFile)
        queue.queue.removeFirst(firstCQ)
        let null = get(0)
        #expect(null.status == .offsetFoundNull)
        #expect(null.nextBeginOffset == 10)

        // Commit-log data deleted while the queue still points at it: MESSAGE_WAS_REMOVING.
        let lastLog = try #require(store.commitLog.queue.lastMappedFile)
        for file in store.commitLog.queue.mappedFiles.dropLast() { store.commitLog.queue.removeFirst(file) }
        let unit = try #require(queue.unit(at: 19))
        #expect(unit.offset < lastLog.fileFromOffset)
        let removing = get(10)
        #expect(removing.status == .messageWasRemoving)
        #expect(removing.nextBeginOffset == 20)
    }

    @Test func offsetByTimeUsesStoreTimestamps() async throws {
        let dir = TemporaryDirectory("bytime")
        defer { dir.remove() }
        let store = try StoreTestSupport.open(StoreTestSupport.config(dir))
        defer { store.shutdown() }
        var timestamps: [Int64] = []
        for group in 0..<4 {
            for i in 0..<5 {
                let r = await store.putMessage(StoreTestSupport.message(queueID: 1, body: "t\(group)-\(i)"))
                timestamps.append(try #require(r.appendResult).storeTimestamp)
            }
            try await Task.sleep(nanoseconds: 15_000_000)
        }
        await StoreTestSupport.waitDispatched(store)
        for (index, ts) in timestamps.enumerated() {
            let expected = timestamps.firstIndex { $0 >= ts } ?? index
            #expect(store.offsetInQueueByTime(topic: "TopicTest", queueID: 1, timestamp: ts) == Int64(expected))
        }
        #expect(store.offsetInQueueByTime(topic: "TopicTest", queueID: 1, timestamp: 0) == 0)
        #expect(store.offsetInQueueByTime(topic: "TopicTest", queueID: 1, timestamp: Int64.max) == 20)
        #expect(store.earliestMessageTime(topic: "TopicTest", queueID: 1) == timestamps[0])
        #expect(store.messageStoreTimestamp(topic: "TopicTest", queueID: 1, consumeQueueOffset: 7) == timestamps[7])
    }

    @Test func indexFindsKeysAndUniqKey() async throws {
        let dir = TemporaryDirectory("index")
        defer { dir.remove() }
        let store = try StoreTestSupport.open(StoreTestSupport.config(dir))
        defer { store.shutdown() }
        var offsets: [Int64] = []
        for i in 0..<10 {
            let keys = i % 2 == 0 ? "order-1 shared" : "order-2 shared"
            let r = await store.putMessage(
                StoreTestSupport.message(
                    body: "k\(i)", properties: [MessageConst.keys: keys, MessageConst.uniqueClientMessageIDKeyIndex: "UNIQ\(i)"]))
            offsets.append(try #require(r.appendResult).wroteOffset)
        }
        await StoreTestSupport.waitDispatched(store)
        let order1 = store.queryMessage(topic: "TopicTest", key: "order-1", maxNum: 32, begin: 0, end: Int64.max)
        #expect(order1.messages.map(\.startOffset) == [8, 6, 4, 2, 0].map { offsets[$0] })
        let shared = store.queryMessage(topic: "TopicTest", key: "shared", maxNum: 3, begin: 0, end: Int64.max)
        #expect(shared.messages.count == 3)
        let uniq = store.queryMessage(topic: "TopicTest", key: "UNIQ7", maxNum: 32, begin: 0, end: Int64.max)
        #expect(uniq.messages.map(\.startOffset) == [offsets[7]])
        #expect(uniq.indexLastUpdatePhyoffset == offsets[9])
        #expect(StoreTestSupport.decode(uniq.messages[0])?.msgID == "UNIQ7")
        #expect(store.queryMessage(topic: "Other", key: "UNIQ7", maxNum: 32, begin: 0, end: Int64.max).messages.isEmpty)
    }

    @Test func listenerAndDispatcherSeeEveryMessage() async throws {
        let dir = TemporaryDirectory("listener")
        defer { dir.remove() }
        let store = DefaultMessageStore(config: StoreTestSupport.config(dir), logger: StoreTestSupport.logger)
        let recorder = Recorder()
        store.addDispatcher(recorder)
        store.setMessageArrivingListener(recorder)
        #expect(try store.load())
        try store.start()
        defer { store.shutdown() }
        for i in 0..<5 { _ = await store.putMessage(StoreTestSupport.message(body: "l\(i)")) }
        await StoreTestSupport.waitDispatched(store)
        try await Task.sleep(nanoseconds: 5_000_000)
        #expect(recorder.dispatched == 5)
        #expect(recorder.arrivals == [1, 2, 3, 4, 5])
    }
}

final class Recorder: CommitLogDispatcher, MessageArrivingListener, @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var _dispatched = 0
    private var _arrivals: [Int64] = []
    var dispatched: Int { self.lock.withLock { self._dispatched } }
    var arrivals: [Int64] { self.lock.withLock { self._arrivals } }

    func dispatch(_ request: DispatchRequest) { self.lock.withLock { self._dispatched += 1 } }
    func arriving(
        topic: String, queueID: Int32, logicOffset: Int64, tagsCode: Int64, storeTimestamp: Int64,
        properties: [String: String]
    ) {
        self.lock.withLock { self._arrivals.append(logicOffset) }
    }
}
