//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQRemoting
import Synchronization

/// `rocketmq_rpc_latency`: a histogram per (request code, response code), labels as a 5.x broker's
/// (`protocol_type="remoting"`, `request_code`, `response_code` as lower-case names), buckets 1, 3, 5, 7,
/// 10, 100, 1000, 2000, 3000 ms (upstream `RemotingMetricsManager`).
///
/// The dispatcher resolves one ``CodeLatency`` per request code at start-up; each holds eagerly made
/// histograms for response codes 0..<32 (all the common ones), so recording is an array index and
/// two atomic adds. Rarer response codes (205–209…) go through a small locked table.
package final class RPCLatencyMetrics: RequestLatencyRecorder {
    package static let name = "rocketmq_rpc_latency"
    static let help = "Rpc latency"
    /// Bucket bounds in nanoseconds (recorded unit); shown in milliseconds.
    static let boundsNanos: [Int64] = [1, 3, 5, 7, 10, 100, 1000, 2000, 3000].map { Int64($0) * 1_000_000 }

    private let codes = Mutex<[Int32: CodeLatency]>([:])
    /// Distinct request codes kept apart; beyond this (a peer sending random codes) they share
    /// `request_code="other"`, so a flood cannot grow memory or series without bound.
    static let maxCodes = 256
    private let overflow = CodeLatency(requestCode: Int32.min)

    package init() {}

    package func sink(forRequestCode code: Int32) -> any RequestLatencySink {
        codes.withLock { table in
            if let existing = table[code] { return existing }
            guard table.count < Self.maxCodes else { return overflow }
            let made = CodeLatency(requestCode: code)
            table[code] = made
            return made
        }
    }

    /// Writes every (request, response) pair that saw at least one request.
    package func write(into writer: inout ExpositionWriter) {
        let all = codes.withLock { $0 }.sorted { $0.key < $1.key } + [(key: overflow.requestCode, value: overflow)]
        for (requestCode, latency) in all {
            for (responseCode, histogram) in latency.histograms() {
                let snapshot = histogram.snapshot()
                guard snapshot.count > 0 else { continue }
                writer.histogram(
                    Self.name,
                    help: Self.help,
                    labels: [
                        ("protocol_type", "remoting"),
                        (
                            "request_code",
                            requestCode == Int32.min
                                ? "other" : RemotingCodeNames.requestCode(requestCode)
                        ),
                        ("response_code", RemotingCodeNames.responseCode(responseCode)),
                    ],
                    upperBounds: Self.boundsNanos,
                    snapshot: snapshot,
                    scale: 1e6
                )
            }
        }
    }

    /// The histograms of one request code.
    final class CodeLatency: RequestLatencySink {
        static let fastCodes = 32
        let requestCode: Int32
        private let common: [AtomicHistogram]
        private let rare = Mutex<[Int32: AtomicHistogram]>([:])

        init(requestCode: Int32) {
            self.requestCode = requestCode
            self.common = (0..<Self.fastCodes).map { _ in AtomicHistogram(upperBounds: RPCLatencyMetrics.boundsNanos) }
        }

        func record(responseCode: Int32, nanoseconds: UInt64) {
            let value = Int64(clamping: nanoseconds)
            if responseCode >= 0 && responseCode < Int32(Self.fastCodes) {
                common[Int(responseCode)].record(value)
                return
            }
            let histogram = rare.withLock { table in
                if let h = table[responseCode] { return h }
                let h = AtomicHistogram(upperBounds: RPCLatencyMetrics.boundsNanos)
                table[responseCode] = h
                return h
            }
            histogram.record(value)
        }

        func histograms() -> [(Int32, AtomicHistogram)] {
            var result = common.enumerated().map { (Int32($0.offset), $0.element) }
            result += rare.withLock { $0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            return result
        }
    }
}
