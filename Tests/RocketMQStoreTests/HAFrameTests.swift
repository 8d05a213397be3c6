//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import Testing

@testable import RocketMQStore

/// The two HA frames, pinned to the bytes upstream's DefaultHAClient / DefaultHAConnection exchange
/// (big-endian; PROTOCOL.md §11).
@Suite struct HAFrameTests {
    @Test func reportIsEightBigEndianBytes() {
        var buffer = ByteBuffer()
        HAFrame.writeReport(0x0102_0304_0506_0708, into: &buffer)
        #expect(Array(buffer.readableBytesView) == [1, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test func transferHeaderIsOffsetThenSize() {
        var buffer = ByteBuffer()
        HAFrame.writeTransferHeader(offset: 1_073_741_824, bodySize: 32_768, into: &buffer)
        #expect(Array(buffer.readableBytesView) == [0, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0x80, 0])
    }

    @Test func parserReassemblesTransfersFedOneByteAtATime() throws {
        var wire = ByteBuffer()
        HAFrame.writeTransferHeader(offset: 100, bodySize: 3, into: &wire)
        wire.writeBytes([7, 8, 9])
        HAFrame.writeTransferHeader(offset: 103, bodySize: 0, into: &wire)
        HAFrame.writeTransferHeader(offset: 103, bodySize: 2, into: &wire)
        wire.writeBytes([1, 2])
        var parser = HATransferParser(maxBodySize: 1024)
        var got: [(Int64, [UInt8])] = []
        for byte in wire.readableBytesView {
            parser.append(ByteBuffer(bytes: [byte]))
            while let t = try parser.next() { got.append((t.offset, Array(t.body.readableBytesView))) }
        }
        #expect(got.map(\.0) == [100, 103, 103])
        #expect(got.map(\.1) == [[7, 8, 9], [], [1, 2]])
        #expect(parser.bufferedBytes == 0)
    }

    @Test func parserRefusesNegativeAndOversizedBodies() {
        var negative = HATransferParser(maxBodySize: 1024)
        var bytes = ByteBuffer()
        HAFrame.writeTransferHeader(offset: 0, bodySize: -1, into: &bytes)
        negative.append(bytes)
        #expect(throws: HAFrameError.negativeBodySize(-1)) { try negative.next() }

        var large = HATransferParser(maxBodySize: 1024)
        bytes.clear()
        HAFrame.writeTransferHeader(offset: 0, bodySize: 1025, into: &bytes)
        large.append(bytes)
        #expect(throws: HAFrameError.bodyTooLarge(1025, limit: 1024)) { try large.next() }

        var offset = HATransferParser(maxBodySize: 1024)
        bytes.clear()
        HAFrame.writeTransferHeader(offset: -5, bodySize: 0, into: &bytes)
        offset.append(bytes)
        #expect(throws: HAFrameError.negativeOffset(-5)) { try offset.next() }
    }

    @Test func masterTakesTheLastCompleteReport() {
        var parser = HAReportParser()
        var wire = ByteBuffer()
        HAFrame.writeReport(10, into: &wire)
        HAFrame.writeReport(20, into: &wire)
        wire.writeBytes([0, 0, 0])  // the start of a third report
        #expect(parser.append(wire) == 20)
        #expect(parser.append(ByteBuffer(bytes: [0, 0, 0, 0])) == nil)
        #expect(parser.append(ByteBuffer(bytes: [30])) == 30)
    }
}

/// The commit log as a slave writes it: master bytes at the master's offsets, nothing else.
@Suite struct ReplicaAppendTests {
    @Test func slaveLogTakesMasterBlocksAndRefusesGaps() throws {
        let masterDir = TemporaryDirectory("ha-master")
        let slaveDir = TemporaryDirectory("ha-slave")
        defer { masterDir.remove(); slaveDir.remove() }
        var masterConfig = MessageStoreConfig(storePathRootDir: masterDir.path)
        masterConfig.mappedFileSizeCommitLog = 64 * 1024
        var slaveConfig = MessageStoreConfig(storePathRootDir: slaveDir.path)
        slaveConfig.mappedFileSizeCommitLog = 64 * 1024
        slaveConfig.brokerRole = .slave
        let master = CommitLog(config: masterConfig, logger: StoreTestSupport.logger)
        let slave = CommitLog(config: slaveConfig, logger: StoreTestSupport.logger)
        try master.queue.load()
        try slave.queue.load()
        master.startAllocator()
        defer { master.allocator.shutdown() }
        for i in 0..<200 {
            guard case .appended = master.putMessage(StoreTestSupport.message(topic: "HA", body: "message \(i)")) else {
                Issue.record("append \(i) failed")
                return
            }
        }
        // Replicate in odd-sized blocks, never across a file boundary, as a master does.
        var next: Int64 = 0
        while let block = master.replicationData(from: next, maxSize: 1000) {
            let outcome = block.withUnsafeBytes { slave.appendReplicated(at: next, bytes: $0) }
            guard case .appended = outcome else {
                Issue.record("block at \(next): \(outcome)")
                return
            }
            next += Int64(block.size)
        }
        #expect(next == master.maxOffset)
        #expect(slave.maxOffset == master.maxOffset)
        let a = try #require(master.getMessage(offset: 0, size: Int(min(master.maxOffset, 64 * 1024))))
        let b = try #require(slave.getMessage(offset: 0, size: Int(min(slave.maxOffset, 64 * 1024))))
        #expect(a.withUnsafeBytes { Array($0) } == b.withUnsafeBytes { Array($0) })
        #expect(slave.queue.mappedFiles.count == master.queue.mappedFiles.count)

        // A block that does not continue the log is refused and writes nothing.
        let end = slave.maxOffset
        let gap = [UInt8](repeating: 1, count: 16).withUnsafeBytes { slave.appendReplicated(at: end + 16, bytes: $0) }
        #expect(gap == .offsetMismatch(expected: end))
        #expect(slave.maxOffset == end)
    }

    @Test func emptySlaveStartsAtTheMastersNewestFileAndRefusesMisalignedStart() throws {
        let dir = TemporaryDirectory("ha-empty-slave")
        defer { dir.remove() }
        var config = MessageStoreConfig(storePathRootDir: dir.path)
        config.mappedFileSizeCommitLog = 64 * 1024
        config.brokerRole = .slave
        let slave = CommitLog(config: config, logger: StoreTestSupport.logger)
        try slave.queue.load()
        let misaligned = [UInt8](repeating: 0, count: 8).withUnsafeBytes { slave.appendReplicated(at: 100, bytes: $0) }
        guard case .refused = misaligned else {
            Issue.record("misaligned start accepted: \(misaligned)")
            return
        }
        let bytes = [UInt8](repeating: 0xAB, count: 100)
        let outcome = bytes.withUnsafeBytes { slave.appendReplicated(at: 3 * 64 * 1024, bytes: $0) }
        #expect(outcome == .appended(fileSwitched: true))
        #expect(slave.maxOffset == 3 * 64 * 1024 + 100)
        #expect(slave.queue.mappedFiles.map(\.fileFromOffset) == [3 * 64 * 1024])
    }
}
