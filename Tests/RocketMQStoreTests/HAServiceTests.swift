//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Foundation
import NIOCore
import NIOPosix
import RocketMQCommon
import Testing

@testable import RocketMQStore

/// Master and slave stores replicating over real TCP on loopback.
@Suite(.serialized, .timeLimit(.minutes(1))) struct HAServiceTests {
    /// A master store listening on an ephemeral HA port.
    static func master(_ dir: TemporaryDirectory, role: BrokerRole = .syncMaster, timeoutMillis: Int = 3000)
        async throws -> (DefaultMessageStore, Int)
    {
        var config = StoreTestSupport.config(dir)
        config.brokerRole = role
        config.syncFlushTimeout = timeoutMillis
        let store = try StoreTestSupport.open(config)
        let port = try #require(try await store.startHA(host: "127.0.0.1", port: 0))
        return (store, port)
    }

    /// Reopens a master on its old directory and HA port (the slave's configured address).
    static func reopenMaster(_ dir: TemporaryDirectory, port: Int) async throws -> DefaultMessageStore {
        var config = StoreTestSupport.config(dir)
        config.brokerRole = .syncMaster
        config.syncFlushTimeout = 3000
        let store = try StoreTestSupport.open(config)
        let deadline = Date().addingTimeInterval(10)
        while true {
            do {
                _ = try await store.startHA(host: "127.0.0.1", port: port)
                return store
            } catch where Date() < deadline {
                try await Task.sleep(for: .milliseconds(100))  // the old listener's port is released
            }
        }
    }

    static func slave(_ dir: TemporaryDirectory, masterPort: Int) async throws -> DefaultMessageStore {
        var config = StoreTestSupport.config(dir)
        config.brokerRole = .slave
        config.haMasterAddress = "127.0.0.1:\(masterPort)"
        let store = try StoreTestSupport.open(config)
        _ = try await store.startHA(host: "127.0.0.1", port: 0)
        return store
    }

    static func waitUntil(_ seconds: Double = 10, _ condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test func syncMasterWaitsForTheSlaveAndLogsAreIdentical() async throws {
        let mdir = TemporaryDirectory("ha-m")
        let sdir = TemporaryDirectory("ha-s")
        defer { mdir.remove(); sdir.remove() }
        let (master, port) = try await Self.master(mdir)
        defer { master.shutdown() }
        // No slave yet: a SYNC_MASTER send is stored but answered SLAVE_NOT_AVAILABLE.
        let lonely = await master.putMessage(StoreTestSupport.message(body: "before the slave"))
        #expect(lonely.status == .slaveNotAvailable)
        #expect(lonely.appendResult != nil)

        let slave = try await Self.slave(sdir, masterPort: port)
        defer { slave.shutdown() }
        try await Self.waitUntil { master.ha.slaveCount.load(ordering: .acquiring) == 1 }
        // Files roll (64 KiB) several times during the run.
        for i in 0..<600 {
            let r = await master.putMessage(StoreTestSupport.message(queueID: Int32(i % 4), body: "m\(i)-" + String(repeating: "x", count: 300)))
            #expect(r.status == .putOK, "send \(i)")
            // SEND_OK as SYNC_MASTER means the slave already holds it.
            if let a = r.appendResult { #expect(slave.commitLog.maxOffset >= a.wroteOffset + Int64(a.wroteBytes)) }
        }
        #expect(master.commitLog.queue.mappedFiles.count > 2)
        try await Self.waitUntil { slave.dispatchBehindBytes == 0 && slave.commitLog.maxOffset == master.commitLog.maxOffset }
        for (m, s) in zip(master.commitLog.queue.mappedFiles, slave.commitLog.queue.mappedFiles) {
            #expect(m.fileFromOffset == s.fileFromOffset)
            let mw = m.wrotePosition.load(ordering: .acquiring)
            #expect(mw == s.wrotePosition.load(ordering: .acquiring))
            #expect(memcmp(m.readPointer, s.readPointer, mw) == 0, "file \(m.fileFromOffset) differs")
        }
        await StoreTestSupport.waitDispatched(master)
        for q in Int32(0)..<4 {
            #expect(slave.maxOffsetInQueue(topic: "TopicTest", queueID: q) == master.maxOffsetInQueue(topic: "TopicTest", queueID: q))
        }
        #expect(slave.maxOffsetInQueue(topic: "TopicTest", queueID: 0) == 151)
    }

    @Test func asyncMasterNeverWaits() async throws {
        let mdir = TemporaryDirectory("ha-am")
        defer { mdir.remove() }
        let (master, _) = try await Self.master(mdir, role: .asyncMaster)
        defer { master.shutdown() }
        let r = await master.putMessage(StoreTestSupport.message(body: "no slave at all"))
        #expect(r.status == .putOK)
    }

    @Test func silentSlaveGivesFlushSlaveTimeout() async throws {
        let mdir = TemporaryDirectory("ha-t")
        defer { mdir.remove() }
        let (master, port) = try await Self.master(mdir, timeoutMillis: 300)
        defer { master.shutdown() }
        // A "slave" that reports once and never acknowledges again.
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
        defer { channel.close(promise: nil) }
        var report = ByteBuffer()
        HAFrame.writeReport(master.commitLog.maxOffset, into: &report)
        try await channel.writeAndFlush(report)
        try await Self.waitUntil { master.ha.slaveCount.load(ordering: .acquiring) == 1 }
        let started = Date()
        let r = await master.putMessage(StoreTestSupport.message(body: "never acknowledged"))
        #expect(r.status == .flushSlaveTimeout)
        #expect(Date().timeIntervalSince(started) >= 0.29)
    }

    @Test func garbageOnTheHAPortIsDroppedWhileTheSlaveKeepsReplicating() async throws {
        let mdir = TemporaryDirectory("ha-g")
        let sdir = TemporaryDirectory("ha-gs")
        defer { mdir.remove(); sdir.remove() }
        let (master, port) = try await Self.master(mdir)
        defer { master.shutdown() }
        let slave = try await Self.slave(sdir, masterPort: port)
        defer { slave.shutdown() }
        try await Self.waitUntil { master.ha.slaveCount.load(ordering: .acquiring) == 1 }
        let garbage = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
        try await garbage.writeAndFlush(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
        // The master closes it at once.
        try await garbage.closeFuture.get()
        #expect(master.ha.refusedPeers.load(ordering: .acquiring) == 1)
        #expect(master.ha.slaveCount.load(ordering: .acquiring) == 1)
        let r = await master.putMessage(StoreTestSupport.message(body: "still replicated"))
        #expect(r.status == .putOK)
    }

    @Test func restartedSlaveResumesFromItsOwnOffset() async throws {
        let mdir = TemporaryDirectory("ha-r")
        let sdir = TemporaryDirectory("ha-rs")
        defer { mdir.remove(); sdir.remove() }
        let (master, port) = try await Self.master(mdir)
        defer { master.shutdown() }
        var slave = try await Self.slave(sdir, masterPort: port)
        try await Self.waitUntil { master.ha.slaveCount.load(ordering: .acquiring) == 1 }
        for i in 0..<50 { #expect(await master.putMessage(StoreTestSupport.message(body: "a\(i)")).status == .putOK) }
        let slaveEnd = slave.commitLog.maxOffset
        #expect(slaveEnd > 0)
        slave.shutdown()
        try await Self.waitUntil { master.ha.slaveCount.load(ordering: .acquiring) == 0 }
        #expect(await master.putMessage(StoreTestSupport.message(body: "while down")).status == .slaveNotAvailable)
        slave = try await Self.slave(sdir, masterPort: port)
        defer { slave.shutdown() }
        // The slave reports its own end, so the master resumes there (no re-copy) and it catches up.
        try await Self.waitUntil { master.ha.slaveCount.load(ordering: .acquiring) == 1 }
        #expect(master.ha.slaves.first.map { $0.ackedOffset >= slaveEnd } == true)
        for i in 0..<50 { #expect(await master.putMessage(StoreTestSupport.message(body: "b\(i)")).status == .putOK) }
        try await Self.waitUntil { slave.commitLog.maxOffset == master.commitLog.maxOffset && slave.dispatchBehindBytes == 0 }
        #expect(slave.maxOffsetInQueue(topic: "TopicTest", queueID: 0) == 101)
    }

    @Test func slaveFollowsARestartedMasterFromItsOwnOffset() async throws {
        let mdir = TemporaryDirectory("ha-mr")
        let sdir = TemporaryDirectory("ha-mrs")
        defer { mdir.remove(); sdir.remove() }
        var (master, port) = try await Self.master(mdir)
        let slave = try await Self.slave(sdir, masterPort: port)
        defer { slave.shutdown() }
        try await Self.waitUntil { master.ha.slaveCount.load(ordering: .acquiring) == 1 }
        for i in 0..<40 { #expect(await master.putMessage(StoreTestSupport.message(body: "first \(i)")).status == .putOK) }
        let end = master.commitLog.maxOffset
        master.shutdown()
        master = try await Self.reopenMaster(mdir, port: port)
        defer { master.shutdown() }
        // The slave reconnects by itself and reports where its log ends: nothing is sent twice.
        try await Self.waitUntil { master.ha.slaveCount.load(ordering: .acquiring) == 1 }
        #expect(master.ha.slaves.first.map { $0.ackedOffset >= end } == true)
        for i in 0..<40 { #expect(await master.putMessage(StoreTestSupport.message(body: "second \(i)")).status == .putOK) }
        try await Self.waitUntil { slave.commitLog.maxOffset == master.commitLog.maxOffset && slave.dispatchBehindBytes == 0 }
        #expect(slave.maxOffsetInQueue(topic: "TopicTest", queueID: 0) == 80)
    }

    @Test func slaveWithALongerLogThanItsMasterIsRefusedAndKeepsItsLog() async throws {
        let mdir = TemporaryDirectory("ha-f")
        let sdir = TemporaryDirectory("ha-fs")
        defer { mdir.remove(); sdir.remove() }
        // The future slave's log: 100 messages written while it was a master of its own.
        var own = StoreTestSupport.config(sdir)
        own.brokerRole = .asyncMaster
        let before = try StoreTestSupport.open(own)
        for i in 0..<100 { _ = before.putMessageWithoutFlushWait(StoreTestSupport.message(body: "own \(i)")) }
        let slaveEnd = before.commitLog.maxOffset
        before.shutdown()

        let (master, port) = try await Self.master(mdir)
        defer { master.shutdown() }
        for i in 0..<10 { _ = master.putMessageWithoutFlushWait(StoreTestSupport.message(body: "master \(i)")) }
        #expect(master.commitLog.maxOffset < slaveEnd)
        let slave = try await Self.slave(sdir, masterPort: port)
        defer { slave.shutdown() }
        // The master refuses the link (its log ends before the slave's); the slave writes nothing.
        // Twice: the slave reconnects after the first refusal and is refused again.
        try await Self.waitUntil { master.ha.refusedPeers.load(ordering: .acquiring) >= 2 }
        #expect(master.ha.slaveCount.load(ordering: .acquiring) == 0)
        #expect(slave.commitLog.maxOffset == slaveEnd)
        let r = await master.putMessage(StoreTestSupport.message(body: "no slave"))
        #expect(r.status == .slaveNotAvailable)
    }
}
