//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
@testable import RocketMQStore
import Testing

/// A `kill -9` keeps every store into the mapped index file that ran, and none after: these tests stop
/// an insert part-way, open the files again as a restarted broker does, re-dispatch the record, and
/// query every key.
@Suite("Index after a crash")
struct IndexCrashTests {
    static let topic = "TopicTest"

    static func request(_ offset: Int64, uniq: String, keys: String) -> DispatchRequest {
        DispatchRequest(topic: topic, queueID: 0, commitLogOffset: offset, msgSize: 100, tagsCode: 0,
                        storeTimestamp: 1_700_000_000_000 + offset, consumeQueueOffset: offset / 100, keys: keys,
                        uniqKey: uniq, sysFlag: 0, preparedTransactionOffset: 0, bornTimestamp: 0, properties: [:])
    }

    static func service(_ config: MessageStoreConfig) throws -> IndexService {
        let service = IndexService(config: config, logger: Logger(label: "test.index"))
        try service.load()
        return service
    }

    static func offsets(_ service: IndexService, _ key: String) -> [Int64] {
        service.queryOffset(topic: topic, key: key, maxNum: 64, begin: 0, end: .max).phyOffsets
    }

    enum Cut: CaseIterable {
        /// After the record's first key, before its second (the end offset has not moved).
        case betweenKeys
        /// After a key's entry and entry count, before its slot points at it.
        case beforeSlot
    }

    @Test("a record cut short by a crash is indexed whole after re-dispatch, each offset once",
          arguments: Cut.allCases)
    func partialRecordReindexed(cut: Cut) throws {
        let dir = TemporaryDirectory("indexcrash")
        defer { dir.remove() }
        var config = StoreTestSupport.config(dir)
        config.maxHashSlotNum = 4  // every bucket holds a chain
        config.maxIndexNum = 64
        let first = Self.request(100, uniq: "U1", keys: "a b")
        let second = Self.request(200, uniq: "U2", keys: "c d")
        do {
            let service = try Self.service(config)
            service.buildIndex(first)
            service.withNewestFile { file in
                switch cut {
                case .betweenKeys:
                    _ = file.putKey(IndexService.buildKey(topic: Self.topic, key: "U2"), phyOffset: 200,
                                    storeTimestamp: second.storeTimestamp)
                case .beforeSlot:
                    let key = IndexService.buildKey(topic: Self.topic, key: "U2")
                    let slot = IndexFile.headerSize + Int(IndexFile.keyHash(key)) % file.hashSlotNum * IndexFile.hashSlotSize
                    let before = UnsafeRawPointer(file.mappedFile.base).loadInt32BE(at: slot)
                    _ = file.putKey(key, phyOffset: 200, storeTimestamp: second.storeTimestamp)
                    file.mappedFile.base.storeInt32BE(before, at: slot)
                }
            }
            // The crash: nothing more is written, nothing is flushed.
        }
        let restarted = try Self.service(config)
        #expect(restarted.lastIndexedOffset == 100, "the cut record is not counted as indexed")
        restarted.buildIndex(first)  // re-dispatch from before both records: the first is skipped
        restarted.buildIndex(second)
        for key in ["U1", "a", "b"] { #expect(Self.offsets(restarted, key) == [100], "\(key)") }
        for key in ["U2", "c", "d"] { #expect(Self.offsets(restarted, key) == [200], "\(key)") }
        #expect(restarted.lastIndexedOffset == 200)
    }
}
