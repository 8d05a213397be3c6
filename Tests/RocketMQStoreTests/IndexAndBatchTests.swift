//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Foundation
import NIOCore
import RocketMQCommon
@testable import RocketMQStore
import Testing

@Suite("Index files and batch bodies")
struct IndexAndBatchTests {
    @Test func queriesSpanSeveralIndexFilesNewestFirst() async throws {
        let dir = TemporaryDirectory("indexroll")
        defer { dir.remove() }
        var config = StoreTestSupport.config(dir)
        config.maxHashSlotNum = 16
        config.maxIndexNum = 8  // 7 usable entries per file: forces several files
        let store = try StoreTestSupport.open(config)
        var offsets: [Int64] = []
        for i in 0..<20 {
            let r = await store.putMessage(
                StoreTestSupport.message(body: "i\(i)", properties: [MessageConst.keys: "same k\(i)"]))
            offsets.append(try #require(r.appendResult).wroteOffset)
        }
        await StoreTestSupport.waitDispatched(store)
        #expect(store.indexService.fileCount >= 5)
        let same = store.queryMessageOffsets(topic: "TopicTest", key: "same", maxNum: 64, begin: 0, end: .max)
        #expect(same == offsets.reversed())
        #expect(store.queryMessageOffsets(topic: "TopicTest", key: "k13", maxNum: 64, begin: 0, end: .max) == [offsets[13]])
        store.shutdown()
        // Index files survive a restart.
        let reopened = try StoreTestSupport.open(config)
        defer { reopened.shutdown() }
        #expect(reopened.queryMessageOffsets(topic: "TopicTest", key: "k2", maxNum: 64, begin: 0, end: .max) == [offsets[2]])
    }

    @Test func expandsClientBatchBody() throws {
        var body = ByteBuffer()
        for (text, props) in [("one", "KEYS\u{1}a"), ("two", "TAGS\u{1}T")] {
            let total = 20 + text.utf8.count + 2 + props.utf8.count
            body.writeInteger(Int32(total))
            body.writeInteger(Int32(0))
            body.writeInteger(Int32(0))
            body.writeInteger(Int32(7))
            body.writeInteger(Int32(text.utf8.count))
            body.writeString(text)
            body.writeInteger(Int16(props.utf8.count))
            body.writeString(props)
        }
        let batch = try #require(
            MessageExtBatch.expand(
                body: body, topic: "B", queueID: 3, sysFlag: 0, bornTimestamp: 1, bornHost: .zero, storeHost: .zero,
                extraProperties: "CLUSTER\u{1}c"))
        #expect(batch.messages.count == 2)
        #expect(batch.messages[0].flag == 7)
        #expect(batch.messages[0].properties == ["KEYS": "a", "CLUSTER": "c"])
        #expect(batch.messages[1].tagsCode == MessageExtBrokerInner.tagsString2tagsCode("T"))
        #expect(String(buffer: batch.messages[1].body) == "two")
        var truncated = body
        truncated.moveWriterIndex(to: body.writerIndex - 1)
        #expect(MessageExtBatch.expand(
            body: truncated, topic: "B", queueID: 3, sysFlag: 0, bornTimestamp: 1, bornHost: .zero, storeHost: .zero) == nil)
    }
}
