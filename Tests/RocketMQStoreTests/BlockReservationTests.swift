//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Foundation
import Testing
@testable import RocketMQStore

#if canImport(Glibc)
import Glibc
#endif

/// Which store files hold real disk blocks. A commit-log file must have all of them from creation (a
/// sparse one turns a full device into SIGBUS mid-append); a consume-queue file only what was written
/// plus one chunk (a broker with 10,000 queues must not reserve 10,000 whole files).
@Suite("Disk block reservation")
struct BlockReservationTests {
    static func allocatedBytes(_ path: String) -> Int {
        var st = stat()
        guard stat(path, &st) == 0 else { return -1 }
        return Int(st.st_blocks) * 512
    }

    @Test func commitLogFilesAreFullyBackedAndConsumeQueuesGrowInChunks() async throws {
        let dir = TemporaryDirectory("reserve")
        defer { dir.remove() }
        // 6 MB consume-queue files, as upstream's default (300,000 units).
        let config = StoreTestSupport.config(dir, commitLogFileSize: 1024 * 1024, cqUnits: 300_000)
        let store = try StoreTestSupport.open(config)
        defer { store.shutdown() }
        for queue in 0..<3 as Range<Int32> {
            #expect(await store.putMessage(StoreTestSupport.message(queueID: queue, body: "q\(queue)")).status == .putOK)
        }
        await StoreTestSupport.waitDispatched(store)
        let commitLog = config.storePathCommitLog + "/" + MappedFile.fileName(forOffset: 0)
        #expect(Self.allocatedBytes(commitLog) >= config.mappedFileSizeCommitLog)
        for queue in 0..<3 {
            let path = config.storePathConsumeQueue + "/TopicTest/\(queue)/" + MappedFile.fileName(forOffset: 0)
            let allocated = Self.allocatedBytes(path)
            #expect(allocated > 0 && allocated <= 2 * MappedFile.reservationChunk, "\(path): \(allocated) bytes")
        }
    }

    @Test func anIncrementalFileGrowsInChunksUpToItsEnd() throws {
        let dir = TemporaryDirectory("reserve-inc")
        defer { dir.remove() }
        let size = 3 * MappedFile.reservationChunk + 100
        let file = try MappedFile.open(path: dir.path + "/f", fileFromOffset: 0, fileSize: size, create: true,
                                       reservation: .incremental)
        #expect(Self.allocatedBytes(dir.path + "/f") == 0)
        #expect(file.reserve(through: 20))
        let first = Self.allocatedBytes(dir.path + "/f")
        #expect(first >= MappedFile.reservationChunk && first < size)
        #expect(file.reserve(through: size))
        #expect(Self.allocatedBytes(dir.path + "/f") >= size)
        #expect(file.reserve(through: size))
    }
}
