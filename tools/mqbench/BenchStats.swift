//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Counters and latency samples shared by benchmark tasks: atomics for the per-second line, a
/// fixed-bucket histogram (10 µs buckets up to 10 s) for percentiles.
final class BenchStats: Sendable {
    let ok = Atomic<Int>(0)
    let sendFailed = Atomic<Int>(0)
    let responseFailed = Atomic<Int>(0)
    let totalMicros = Atomic<Int>(0)
    let maxMicros = Atomic<Int>(0)
    let bytes = Atomic<Int>(0)
    private let histogram = Mutex<[Int]>(Array(repeating: 0, count: 1_000_001))

    func record(micros: Int, bytes n: Int = 0, count: Int = 1) {
        ok.wrappingAdd(count, ordering: .relaxed)
        bytes.wrappingAdd(n, ordering: .relaxed)
        totalMicros.wrappingAdd(micros, ordering: .relaxed)
        var current = maxMicros.load(ordering: .relaxed)
        while micros > current {
            let (exchanged, original) = maxMicros.compareExchange(expected: current, desired: micros, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
        let bucket = min(micros / 10, 1_000_000)
        histogram.withLock { $0[bucket] += count }
    }

    /// Latency percentile in milliseconds.
    func percentile(_ p: Double) -> Double {
        histogram.withLock { h in
            let total = h.reduce(0, +)
            guard total > 0 else { return 0 }
            let target = Int((Double(total) * p).rounded(.up))
            var seen = 0
            for (i, n) in h.enumerated() {
                seen += n
                if seen >= target { return Double(i * 10) / 1000 }
            }
            return 0
        }
    }

    static func rssMB(pid: Int32) -> Int? {
        guard let text = FileIO.readString("/proc/\(pid)/status") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
        }
        return nil
    }

    /// utime + stime of a process in seconds, from /proc/PID/stat (fields 14 and 15, clock ticks).
    static func cpuSeconds(pid: Int32) -> Double? {
        guard let text = FileIO.readString("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name (which may contain spaces) start at field 3.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let utime = Double(fields[11]), let stime = Double(fields[12]) else { return nil }
        return (utime + stime) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The pid of a running `mqbroker` (first found in /proc), for its RSS in the summary.
    static func brokerPID() -> Int32? {
        guard let dir = opendir("/proc") else { return nil }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = Int32(name) else { continue }
            if let comm = FileIO.readString("/proc/\(pid)/comm"), comm.hasPrefix("mqbroker") { return pid }
        }
        return nil
    }
}

func fmt(_ v: Double, _ digits: Int = 2) -> String {
    var m = 1.0
    for _ in 0..<digits { m *= 10 }
    return String(Double(Int((v * m).rounded())) / m)
}
