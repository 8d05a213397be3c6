//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import Logging
import NIOCore
import RocketMQCommon
import RocketMQStore

/// `mqbench ha`: master and slave stores in one process, replicating over real TCP on loopback.
///
/// 1. Catch-up: an empty slave copies a master backlog of `--backlog-mb` (within one commit-log file,
///    since an empty slave starts at the master's newest file, as upstream); MB/s copied, and with the
///    slave's consume queues built.
/// 2. Steady replication at `--rate` msg/s as SYNC_MASTER: each put waits for the slave's ack, so the
///    put latency is the append → slave-has-it → ack round trip (an upper bound of the lag).
/// 3. Throughput, unthrottled with `--inflight` concurrent puts: ASYNC_MASTER vs SYNC_MASTER, both with
///    a slave attached, interleaved `--rounds` times; prints the ratio.
struct HABenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ha", abstract: "Benchmark master/slave replication in-process.")

    @Option(help: "Scratch directory (deleted and recreated).")
    var dir: String = "/tmp/mqbench-ha"
    @Option(help: "Backlog the empty slave catches up, in MiB (below 1024: one file).")
    var backlogMb: Int = 1000
    @Option(help: "Messages per second for the steady-lag run.")
    var rate: Int = 10_000
    @Option(help: "Seconds of the steady-lag run and of each throughput round.")
    var duration: Int = 10
    @Option(help: "Concurrent puts in the throughput runs.")
    var inflight: Int = 64
    @Option(help: "Interleaved ASYNC/SYNC throughput rounds.")
    var rounds: Int = 2
    @Option(help: "Body size in bytes.")
    var bodySize: Int = 1024

    static let logger = Logger(label: "mqbench-ha") { _ in SwiftLogNoOpLogHandler() }

    func config(_ path: String, role: BrokerRole, masterPort: Int? = nil) -> MessageStoreConfig {
        var c = MessageStoreConfig(storePathRootDir: path)
        c.brokerRole = role
        c.diskUsageRatio = { _ in 0.1 }
        if let masterPort { c.haMasterAddress = "127.0.0.1:\(masterPort)" }
        return c
    }

    func open(_ c: MessageStoreConfig) async throws -> (DefaultMessageStore, Int?) {
        let store = DefaultMessageStore(config: c, logger: Self.logger)
        guard try store.load() else { throw ValidationError("store at \(c.storePathRootDir) did not load") }
        try store.start()
        let port = try await store.startHA(host: "127.0.0.1", port: 0)
        return (store, port)
    }

    func message(_ body: ByteBuffer, _ i: Int) -> MessageExtBrokerInner {
        MessageExtBrokerInner(
            topic: "BenchmarkTest", queueID: Int32(i & 7), body: body,
            propertiesString: "UNIQ_KEY\u{1}HA\(i)\u{2}TAGS\u{1}TagA",
            bornHost: SocketAddressBytes(address: [127, 0, 0, 1], port: 40000),
            storeHost: SocketAddressBytes(address: [127, 0, 0, 1], port: 10911))
    }

    func waitFor(_ seconds: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            if Date() > deadline { return false }
            try? await Task.sleep(for: .microseconds(200))
        }
        return true
    }

    func line(_ name: String, _ value: String) {
        print("\(name): \(value)")
        fflush(nil)
    }

    func run() async throws {
        _ = try? FileManager.default.removeItem(atPath: self.dir)
        try FileManager.default.createDirectory(atPath: self.dir, withIntermediateDirectories: true)
        defer { _ = try? FileManager.default.removeItem(atPath: self.dir) }
        let body = ByteBuffer(repeating: 0x61, count: self.bodySize)
        try await self.catchUp(body)
        try await self.steadyLag(body)
        try await self.throughput(body)
    }

    private func catchUp(_ body: ByteBuffer) async throws {
        let (master, port) = try await self.open(self.config(self.dir + "/cu-master", role: .asyncMaster))
        defer { master.shutdown() }
        let target = Int64(self.backlogMb) << 20
        var i = 0
        while master.maxPhyOffset < target {
            _ = master.putMessageWithoutFlushWait(self.message(body, i))
            i += 1
        }
        let (slave, _) = try await self.open(self.config(self.dir + "/cu-slave", role: .slave, masterPort: port))
        defer { slave.shutdown() }
        let start = Clock.nanos()
        guard await self.waitFor(600, { slave.maxPhyOffset >= master.maxPhyOffset }) else {
            throw ValidationError("slave did not catch up")
        }
        let copied = Double(Clock.nanos() - start) / 1e9
        _ = await self.waitFor(600) { slave.dispatchBehindBytes == 0 }
        let dispatched = Double(Clock.nanos() - start) / 1e9
        let mb = Double(master.maxPhyOffset) / 1_048_576
        self.line("catch-up copy", "\(fmt(mb, 0)) MiB in \(fmt(copied, 2)) s = \(fmt(mb / copied, 0)) MiB/s (\(i) messages)")
        self.line("catch-up with consume queues built", "\(fmt(dispatched, 2)) s = \(fmt(mb / dispatched, 0)) MiB/s")
    }

    private func pair(_ name: String, role: BrokerRole) async throws -> (DefaultMessageStore, DefaultMessageStore) {
        let (master, port) = try await self.open(self.config(self.dir + "/\(name)-master", role: role))
        let (slave, _) = try await self.open(self.config(self.dir + "/\(name)-slave", role: .slave, masterPort: port))
        guard await self.waitFor(10, { master.runtimeInfo["haSlaveCount"] == "1" }) else {
            throw ValidationError("slave did not connect")
        }
        return (master, slave)
    }

    private func steadyLag(_ body: ByteBuffer) async throws {
        let (master, slave) = try await self.pair("lag", role: .syncMaster)
        defer { slave.shutdown(); master.shutdown() }
        let stats = BenchStats()
        let total = self.rate * self.duration
        let interval = 1_000_000_000 / UInt64(max(1, self.rate))
        let start = Clock.nanos()
        let statuses = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<total {
                let due = start + UInt64(i) * interval
                let now = Clock.nanos()
                if due > now { try? await Task.sleep(nanoseconds: due - now) }
                let message = self.message(body, i)
                group.addTask {
                    let t0 = Clock.nanos()
                    let r = await master.putMessage(message)
                    stats.record(micros: Int((Clock.nanos() - t0) / 1000))
                    return r.status == .putOK
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 0 : 1) }
        }
        let elapsed = Double(Clock.nanos() - start) / 1e9
        self.line(
            "SYNC_MASTER at \(self.rate) msg/s",
            "\(fmt(Double(total) / elapsed, 0)) msg/s reached, put→slave ack p50 \(fmt(stats.percentile(0.5))) ms, "
                + "p99 \(fmt(stats.percentile(0.99))) ms, p99.9 \(fmt(stats.percentile(0.999))) ms, not OK \(statuses)")
    }

    private func throughput(_ body: ByteBuffer) async throws {
        var results: [BrokerRole: [Double]] = [:]
        for round in 0..<self.rounds {
            for role in [BrokerRole.asyncMaster, .syncMaster] {
                let (master, slave) = try await self.pair("tp\(round)-\(role.rawValue)", role: role)
                let count = await self.unthrottled(master, body: body)
                let rate = Double(count) / Double(self.duration)
                _ = await self.waitFor(30) { slave.maxPhyOffset >= master.maxPhyOffset }
                slave.shutdown()
                master.shutdown()
                results[role, default: []].append(rate)
                self.line("round \(round + 1) \(role.rawValue) + slave, \(self.inflight) in flight", "\(fmt(rate, 0)) msg/s")
            }
        }
        let a = results[.asyncMaster, default: []].reduce(0, +)
        let s = results[.syncMaster, default: []].reduce(0, +)
        if a > 0 { self.line("SYNC_MASTER / ASYNC_MASTER throughput", fmt(s / a, 2)) }
    }

    private func unthrottled(_ master: DefaultMessageStore, body: ByteBuffer) async -> Int {
        let end = Clock.nanos() + UInt64(self.duration) * 1_000_000_000
        return await withTaskGroup(of: Int.self) { group in
            for worker in 0..<self.inflight {
                group.addTask {
                    var n = 0
                    while Clock.nanos() < end {
                        let r = await master.putMessage(self.message(body, worker &* 1_000_003 &+ n))
                        if r.status == .putOK { n += 1 }
                    }
                    return n
                }
            }
            return await group.reduce(0, +)
        }
    }
}
