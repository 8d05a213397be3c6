//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Foundation
import NIOCore
import RocketMQBroker
import RocketMQCommon
import RocketMQRemoting
import RocketMQStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A broker whose store is a real 64 MiB tmpfs, filled by a ballast file: the full device is real, not
/// a faked usage ratio. Needs root (mount); skipped otherwise. The mount is always removed.
@Suite("Broker on a full disk", .serialized, .enabled(if: geteuid() == 0, "mounting a tmpfs needs root"))
struct BrokerDiskFullTests {
    /// A tmpfs of `megabytes` MiB mounted on a fresh directory, unmounted (lazily) by `unmount`.
    struct Tmpfs {
        let path: String

        init(megabytes: Int) throws {
            self.path = try BrokerTestCluster.makeTemporaryDirectory()
            try Self.run("/bin/mount", "-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path)
        }

        func unmount() {
            try? Self.run("/bin/umount", "-l", path)
            try? FileManager.default.removeItem(atPath: path)
        }

        /// Free bytes as statvfs reports them.
        var freeBytes: Int {
            var st = statvfs()
            guard statvfs(path, &st) == 0 else { return 0 }
            return Int(st.f_bavail) * Int(st.f_frsize)
        }

        /// Fills the device until only `leave` bytes stay free; returns the ballast path.
        func fill(leaving leave: Int) throws -> String {
            let ballast = path + "/ballast"
            let fd = open(ballast, O_CREAT | O_RDWR, 0o644)
            guard fd >= 0 else { throw TestFailure("cannot create ballast") }
            defer { close(fd) }
            // Grow in steps until the free space is down to `leave` (statvfs and tmpfs accounting
            // differ by a few pages, so one exact allocation may fail).
            var size = 0
            while freeBytes > leave {
                let step = max(4096, min(1 << 20, freeBytes - leave))
                guard posix_fallocate(fd, off_t(size), off_t(step)) == 0 else { break }
                size += step
            }
            guard freeBytes <= leave + (1 << 20) else { throw TestFailure("could not fill the tmpfs") }
            return ballast
        }

        static func run(_ tool: String, _ arguments: String...) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw TestFailure("\(tool) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
            }
        }
    }

    static func withTmpfsBroker(commitLogFileSize: Int, configure: @escaping @Sendable (inout BrokerConfig) -> Void,
                                _ body: (BrokerTestCluster, Tmpfs) async throws -> Void) async throws {
        let tmpfs = try Tmpfs(megabytes: 64)
        defer { tmpfs.unmount() }
        let root = tmpfs.path + "/store"
        try await BrokerTestCluster.with({ c in
            let sized = c.store
            c.store = MessageStoreConfig(storePathRootDir: root)
            c.store.mappedFileSizeCommitLog = commitLogFileSize
            c.store.mappedFileSizeConsumeQueue = sized.mappedFileSizeConsumeQueue
            c.store.maxHashSlotNum = sized.maxHashSlotNum
            c.store.maxIndexNum = sized.maxIndexNum
            c.store.flushIntervalCommitLog = sized.flushIntervalCommitLog
            c.store.flushIntervalConsumeQueue = sized.flushIntervalConsumeQueue
            configure(&c)
        }) { cluster in
            try await body(cluster, tmpfs)
        }
    }

    static let body = String(repeating: "d", count: 64 * 1024)

    @Test("ENOSPC when the next commit-log file is created: the send fails, the broker lives, the log is intact",
          .timeLimit(.minutes(2)))
    func enospcAtFileCreation() async throws {
        // Refusal and forced cleaning are pushed out of the way so the appender meets the full device itself.
        try await Self.withTmpfsBroker(commitLogFileSize: 8 * 1024 * 1024, configure: { c in
            c.store.diskSpaceWarningLevelRatio = 0.999
            c.store.diskSpaceCleanForciblyRatio = 0.999
            c.store.diskMaxUsedSpaceRatio = 95
        }) { cluster, tmpfs in
            let topic = uniqueName("Full")
            try await cluster.createTopic(topic, queues: 1)
            try await cluster.sendOK(topic: topic, body: "first")
            // Wait for the allocator's next file, then leave less than one file of free space.
            let commitLogDir = cluster.broker.config.store.storePathCommitLog
            let ready = await eventually {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: commitLogDir)) ?? []
                return names.count == 2 && !names.contains { $0.hasSuffix(".creating") }
            }
            #expect(ready)
            let ballast = try tmpfs.fill(leaving: 4 * 1024 * 1024)

            var accepted = ["first"]
            var refusal: RemotingCommand?
            for i in 0..<400 {
                let text = "\(i)-" + Self.body
                let r = try await cluster.send(topic: topic, body: text)
                if r.code == ResponseCode.success.rawValue {
                    accepted.append(text)
                } else {
                    refusal = r
                    break
                }
            }
            // Two files of 8 MiB hold about 250 such messages; the third cannot be created.
            let refused = try #require(refusal, "the device never filled")
            #expect(refused.code == ResponseCode.systemError.rawValue)
            #expect(refused.remark == "create mapped file failed, server is busy or broken.")
            #expect(accepted.count > 100)

            // Still alive and serving reads: everything acknowledged is there, in order.
            let stored = try await cluster.pullAll(topic: topic)
            #expect(stored.map(\.bodyString) == accepted)

            // Space returns: the next send creates the file and succeeds; nothing was lost.
            try FileManager.default.removeItem(atPath: ballast)
            try await cluster.sendOK(topic: topic, body: "after")
            let after = try await cluster.pullAll(topic: topic)
            #expect(after.map(\.bodyString) == accepted + ["after"])

            // And the log recovers as it was written (the full file ends with its blank marker).
            try await cluster.restartBroker()
            let recovered = try await cluster.pullAll(topic: topic)
            #expect(recovered.map(\.bodyString) == accepted + ["after"])
        }
    }

    @Test("a consume queue that cannot grow holds dispatch back and refuses sends; nothing is lost when space returns",
          .timeLimit(.minutes(2)))
    func consumeQueueWithoutSpace() async throws {
        try await Self.withTmpfsBroker(commitLogFileSize: 8 * 1024 * 1024, configure: { c in
            c.store.diskSpaceWarningLevelRatio = 0.999
            c.store.diskSpaceCleanForciblyRatio = 0.999
            c.store.diskMaxUsedSpaceRatio = 95
        }) { cluster, tmpfs in
            let topic = uniqueName("CQFull")
            try await cluster.createTopic(topic, queues: 2)
            try await cluster.sendOK(topic: topic, body: "q0")
            let commitLogDir = cluster.broker.config.store.storePathCommitLog
            let ready = await eventually {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: commitLogDir)) ?? []
                return names.count == 2 && !names.contains { $0.hasSuffix(".creating") }
            }
            #expect(ready)
            let ballast = try tmpfs.fill(leaving: 0)
            // The commit log has room (its file is reserved); queue 1's first consume-queue unit has none.
            let accepted = try await cluster.send(topic: topic, body: "q1", queueID: 1, awaitDispatch: false)
            #expect(accepted.code == ResponseCode.success.rawValue, "\(accepted)")
            let store = cluster.broker.store
            #expect(await eventually(within: .seconds(10)) { store.isDispatchBlocked })
            let refused = try await cluster.send(topic: topic, body: "refused", awaitDispatch: false)
            #expect(refused.code == ResponseCode.serviceNotAvailable.rawValue, "\(refused)")

            try FileManager.default.removeItem(atPath: ballast)
            #expect(await eventually(within: .seconds(10)) { !store.isDispatchBlocked })
            await cluster.waitForDispatch()
            #expect(try await cluster.pullAll(topic: topic, queueID: 1).map(\.bodyString) == ["q1"])
            #expect(try await cluster.pullAll(topic: topic, queueID: 0).map(\.bodyString) == ["q0"])
            try await cluster.sendOK(topic: topic, body: "after", queueID: 1)
            #expect(try await cluster.pullAll(topic: topic, queueID: 1).map(\.bodyString) == ["q1", "after"])
        }
    }

    @Test("above the warning ratio sends get 14 with upstream's remark, reads go on, old files are cleaned, and sends resume",
          .timeLimit(.minutes(2)))
    func refusesAtThresholdAndResumes() async throws {
        // Rounds run when the test asks (checkDiskSpace), not on the clean thread's clock.
        try await Self.withTmpfsBroker(commitLogFileSize: 4 * 1024 * 1024, configure: { c in
            c.store.cleanResourceInterval = 600_000
        }) { cluster, tmpfs in
            let topic = uniqueName("Refuse")
            try await cluster.createTopic(topic, queues: 1)
            // About three commit-log files of data.
            var accepted: [String] = []
            for i in 0..<180 {
                let text = "\(i)-" + Self.body
                try await cluster.sendOK(topic: topic, body: text)
                accepted.append(text)
            }
            let store = cluster.broker.store
            #expect(store.minPhyOffset == 0)
            _ = try tmpfs.fill(leaving: 2 * 1024 * 1024)
            store.checkDiskSpace()
            #expect(store.isDiskFull)

            let refused = try await cluster.send(topic: topic, body: "refused")
            #expect(refused.code == ResponseCode.serviceNotAvailable.rawValue)
            let remark = try #require(refused.remark)
            let prefix = "service not available now. It may be caused by one of the following reasons: the broker's disk is full [CL:  0."
            #expect(remark.hasPrefix(prefix), "\(remark)")
            #expect(remark.contains(" CQ:  0.") && remark.contains(" INDEX:  0."), "\(remark)")
            #expect(remark.hasSuffix("], messages are put to the slave, message store has been shut down, etc."), "\(remark)")

            // Above diskSpaceCleanForciblyRatio the round also deleted the oldest commit-log files
            // (unexpired: upstream's forced clean); the current one stays and is still read.
            #expect(store.minPhyOffset > 0)
            let stored = try await cluster.pull(topic: topic, queueID: 0, offset: 175)
            #expect(stored.code == 0, "\(stored.response)")
            #expect(stored.messages.first?.bodyString == accepted[175])

            // The space those files held is back: the next round clears the mark and sends go through.
            store.checkDiskSpace()
            #expect(!store.isDiskFull)
            try await cluster.sendOK(topic: topic, body: "back")
            let last = try await cluster.pull(topic: topic, queueID: 0, offset: 180)
            #expect(last.messages.map(\.bodyString) == ["back"])
        }
    }
}
