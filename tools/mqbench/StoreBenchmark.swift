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

/// `mqbench store`: in-process store benchmark with 1 KiB bodies.
///
/// Measures appends/s under ASYNC_FLUSH (one appender), appends/s under SYNC_FLUSH (N concurrent
/// appender tasks, group commit), reads/s from a backlog in one queue (getMessage batches of 32),
/// and start-up time after a clean shutdown and after a simulated crash. Prints `name: value unit`.
struct StoreBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Benchmark the message store in-process.")

    @Option(help: "Scratch directory (deleted and recreated).")
    var dir: String = "/tmp/mqbench-store"

    @Option(help: "Messages for the ASYNC_FLUSH run (also the read backlog).")
    var asyncMessages: Int = 1_000_000

    @Option(help: "Messages for the SYNC_FLUSH run.")
    var syncMessages: Int = 200_000

    @Option(help: "Concurrent appenders for the SYNC_FLUSH run.")
    var syncAppenders: Int = 64

    @Option(help: "Body size in bytes.")
    var bodySize: Int = 1024

    @Flag(help: "Touch pre-allocated commit-log pages ahead of the appender (warmMapedFileEnable).")
    var warm = false

    func report(_ name: String, _ value: Double, _ unit: String) {
        print("\(name): \(String(format: "%.1f", value)) \(unit)")
        fflush(nil)
    }

    func reportRSS() {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS") || line.hasPrefix("VmHWM") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if parts.count >= 3, let kb = Double(parts[1]) {
                self.report(String(parts[0].dropLast()), kb / 1024, "MiB")
            }
        }
    }

    func makeConfig(_ path: String, sync: Bool) -> MessageStoreConfig {
        var config = MessageStoreConfig(storePathRootDir: path)
        config.flushDiskType = sync ? .syncFlush : .asyncFlush
        config.warmMapedFileEnable = self.warm
        config.maxTransferCountOnMessageInMemory = 32
        return config
    }

    func message(body: ByteBuffer, index: Int) -> MessageExtBrokerInner {
        MessageExtBrokerInner(
            topic: "BenchmarkTest", queueID: 0, body: body,
            propertiesString: "UNIQ_KEY\u{1}BENCH\(index)\u{2}TAGS\u{1}TagA",
            bornHost: SocketAddressBytes(address: [127, 0, 0, 1], port: 40000),
            storeHost: SocketAddressBytes(address: [127, 0, 0, 1], port: 10911))
    }

    static func seconds(since start: UInt64) -> Double { Double(Clock.nanos() - start) / 1e9 }

    /// CPU time of the calling thread, in seconds (independent of other load on the machine).
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func loadAverage() -> Double {
        var loads = [Double](repeating: 0, count: 3)
        return getloadavg(&loads, 3) > 0 ? loads[0] : -1
    }

    func run() async throws {
        let logger = Logger(label: "mqbench", factory: { _ in SwiftLogNoOpLogHandler() })
        try? FileManager.default.removeItem(atPath: self.dir)
        let body = ByteBuffer(repeating: 0x61, count: self.bodySize)

        // 1. ASYNC_FLUSH appends, one appender.
        let asyncDir = self.dir + "/async"
        var store = DefaultMessageStore(config: self.makeConfig(asyncDir, sync: false), logger: logger)
        _ = try store.load()
        try store.start()
        var start = Clock.nanos()
        var failures = 0
        // The loop never suspends, so it stays on one thread and the thread CPU clock covers it.
        let cpuStart = Self.threadCPUSeconds()
        for i in 0..<self.asyncMessages {
            if store.putMessageWithoutFlushWait(self.message(body: body, index: i)).status != .putOK { failures += 1 }
        }
        let cpu = Self.threadCPUSeconds() - cpuStart
        let asyncSeconds = Self.seconds(since: start)
        self.report("async_append_rate", Double(self.asyncMessages) / asyncSeconds, "msg/s")
        self.report("async_append_cpu_per_msg", cpu / Double(self.asyncMessages) * 1e9, "ns")
        self.report("async_append_rate_per_cpu_second", Double(self.asyncMessages) / cpu, "msg/s")
        self.report("load_average_1m", Self.loadAverage(), "")
        self.report("async_append_failures", Double(failures), "msg")
        start = Clock.nanos()
        while store.dispatchBehindBytes > 0 { usleep(1000) }
        self.report("dispatch_catch_up", Self.seconds(since: start) * 1000, "ms")

        // 2. Backlog reads, batches of 32.
        start = Clock.nanos()
        var offset: Int64 = 0
        var read = 0
        var bytes = 0
        while true {
            let result = store.getMessage(
                group: "bench", topic: "BenchmarkTest", queueID: 0, offset: offset, maxMsgNums: 32)
            guard result.status == .found else { break }
            read += result.messageCount
            bytes += result.bufferTotalSize
            offset = result.nextBeginOffset
        }
        let readSeconds = Self.seconds(since: start)
        self.report("backlog_read_rate", Double(read) / readSeconds, "msg/s")
        self.report("backlog_read_messages", Double(read), "msg")
        start = Clock.nanos()
        offset = 0
        var copied = 0
        var buffer = ByteBuffer()
        while true {
            let result = store.getMessage(
                group: "bench", topic: "BenchmarkTest", queueID: 0, offset: offset, maxMsgNums: 32)
            guard result.status == .found else { break }
            buffer.clear()
            result.writeMessages(into: &buffer)
            copied += result.messageCount
            offset = result.nextBeginOffset
        }
        self.report("backlog_read_copy_rate", Double(copied) / Self.seconds(since: start), "msg/s")
        let logBytes = store.maxPhyOffset
        self.report("commit_log_size", Double(logBytes) / 1_048_576, "MiB")
        self.reportRSS()

        // 3. Start-up after a clean shutdown.
        store.shutdown()
        start = Clock.nanos()
        store = DefaultMessageStore(config: self.makeConfig(asyncDir, sync: false), logger: logger)
        _ = try store.load()
        try store.start()
        self.report("clean_restart", Self.seconds(since: start) * 1000, "ms")
        store.shutdown()

        // 4. Start-up after a crash: the abort file is left behind (as a killed broker leaves it),
        //    so recovery rescans the commit log with CRC checks from the checkpoint's safe file.
        let abort = asyncDir + "/abort"
        _ = FileManager.default.createFile(atPath: abort, contents: Data())
        start = Clock.nanos()
        store = DefaultMessageStore(config: self.makeConfig(asyncDir, sync: false), logger: logger)
        _ = try store.load()
        try store.start()
        self.report("crash_restart", Self.seconds(since: start) * 1000, "ms")
        self.report("crash_restart_recovered", Double(store.maxPhyOffset) / 1_048_576, "MiB")
        store.shutdown()
        try? FileManager.default.removeItem(atPath: asyncDir)

        // 5. SYNC_FLUSH group commit with concurrent appenders.
        let syncStore = DefaultMessageStore(config: self.makeConfig(self.dir + "/sync", sync: true), logger: logger)
        _ = try syncStore.load()
        try syncStore.start()
        let perAppender = self.syncMessages / self.syncAppenders
        start = Clock.nanos()
        let syncFailures = await withTaskGroup(of: Int.self) { group in
            for a in 0..<self.syncAppenders {
                group.addTask {
                    var failed = 0
                    for i in 0..<perAppender {
                        let r = await syncStore.putMessage(self.message(body: body, index: a * perAppender + i))
                        if r.status != .putOK { failed += 1 }
                    }
                    return failed
                }
            }
            var total = 0
            for await f in group { total += f }
            return total
        }
        let syncSeconds = Self.seconds(since: start)
        self.report("sync_append_rate", Double(perAppender * self.syncAppenders) / syncSeconds, "msg/s")
        self.report("sync_append_failures", Double(syncFailures), "msg")
        syncStore.shutdown()
        self.reportRSS()
        try? FileManager.default.removeItem(atPath: self.dir)
    }
}
