//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQRemoting
import Testing

@testable import RocketMQClient

@Suite struct AllocateMessageQueueStrategyTests {
    static func queues(_ n: Int) -> [MessageQueue] {
        (0..<n).map { MessageQueue(topic: "T", brokerName: "broker-a", queueID: Int32($0)) }
    }
    static let cids = ["cid0", "cid1", "cid2"]

    func ids(_ r: [MessageQueue]) -> [Int32] { r.map(\.queueID) }

    @Test func averagelyGivesContiguousBlocksWithExtrasFirst() {
        let s = AllocateMessageQueueAveragely()
        let mq = Self.queues(8)
        #expect(ids(s.allocate(consumerGroup: "G", currentCID: "cid0", mqAll: mq, cidAll: Self.cids)) == [0, 1, 2])
        #expect(ids(s.allocate(consumerGroup: "G", currentCID: "cid1", mqAll: mq, cidAll: Self.cids)) == [3, 4, 5])
        #expect(ids(s.allocate(consumerGroup: "G", currentCID: "cid2", mqAll: mq, cidAll: Self.cids)) == [6, 7])
    }

    @Test func averagelyWithMoreConsumersThanQueues() {
        let s = AllocateMessageQueueAveragely()
        let mq = Self.queues(2)
        #expect(ids(s.allocate(consumerGroup: "G", currentCID: "cid0", mqAll: mq, cidAll: Self.cids)) == [0])
        #expect(ids(s.allocate(consumerGroup: "G", currentCID: "cid1", mqAll: mq, cidAll: Self.cids)) == [1])
        #expect(s.allocate(consumerGroup: "G", currentCID: "cid2", mqAll: mq, cidAll: Self.cids).isEmpty)
    }

    @Test func averagelyRefusesUnknownMemberAndEmptyInput() {
        let s = AllocateMessageQueueAveragely()
        #expect(s.allocate(consumerGroup: "G", currentCID: "other", mqAll: Self.queues(4), cidAll: Self.cids).isEmpty)
        #expect(s.allocate(consumerGroup: "G", currentCID: "cid0", mqAll: [], cidAll: Self.cids).isEmpty)
        #expect(s.allocate(consumerGroup: "G", currentCID: "", mqAll: Self.queues(4), cidAll: Self.cids).isEmpty)
    }

    @Test func averagelyPartitionsEveryCombination() {
        let s = AllocateMessageQueueAveragely()
        for consumers in 1...10 {
            for queues in 1...20 {
                let cids = (0..<consumers).map { "c\($0)" }
                let mq = Self.queues(queues)
                let all = cids.flatMap { s.allocate(consumerGroup: "G", currentCID: $0, mqAll: mq, cidAll: cids) }
                #expect(all == mq, "consumers \(consumers) queues \(queues)")
            }
        }
    }

    @Test func byCircleDealsRoundRobin() {
        let s = AllocateMessageQueueAveragelyByCircle()
        let mq = Self.queues(8)
        #expect(ids(s.allocate(consumerGroup: "G", currentCID: "cid0", mqAll: mq, cidAll: Self.cids)) == [0, 3, 6])
        #expect(ids(s.allocate(consumerGroup: "G", currentCID: "cid1", mqAll: mq, cidAll: Self.cids)) == [1, 4, 7])
        #expect(ids(s.allocate(consumerGroup: "G", currentCID: "cid2", mqAll: mq, cidAll: Self.cids)) == [2, 5])
    }

    @Test func byConfigReturnsTheList() {
        let list = [MessageQueue(topic: "T", brokerName: "b", queueID: 5)]
        let s = AllocateMessageQueueByConfig(messageQueueList: list)
        #expect(s.allocate(consumerGroup: "G", currentCID: "x", mqAll: Self.queues(8), cidAll: Self.cids) == list)
    }

    @Test func consistentHashPartitionsAndIsStable() {
        let s = AllocateMessageQueueConsistentHash()
        let mq = (0..<16).map { MessageQueue(topic: "T", brokerName: $0 < 8 ? "broker-a" : "broker-b", queueID: Int32($0 % 8)) }
        let parts = Self.cids.map { s.allocate(consumerGroup: "G", currentCID: $0, mqAll: mq, cidAll: Self.cids) }
        #expect(parts.flatMap { $0 }.sorted() == mq.sorted())
        #expect(Set(parts.flatMap { $0 }).count == mq.count)
        // Deterministic: the same inputs give the same answer.
        #expect(s.allocate(consumerGroup: "G", currentCID: "cid1", mqAll: mq, cidAll: Self.cids) == parts[1])
    }

    @Test func md5MatchesRFC1321Vectors() {
        func hex(_ b: [UInt8]) -> String { b.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
        #expect(hex(MD5.digest([])) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(hex(MD5.digest(Array("abc".utf8))) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(hex(MD5.digest(Array("The quick brown fox jumps over the lazy dog".utf8)))
            == "9e107d9d372bb6826bd81d3542a419d6")
        // Upstream MD5Hash: first four bytes, unsigned.
        #expect(AllocateMessageQueueConsistentHash.hash("abc") == 0x9001_5098)
    }
}
