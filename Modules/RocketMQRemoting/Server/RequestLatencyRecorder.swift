//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Receives the time each request took from arrival to its response being queued for writing (the
/// `rocketmq_rpc_latency` histogram of a 5.x broker).
///
/// Remoting knows nothing of Prometheus: the metrics module implements this. The dispatcher asks for a
/// ``RequestLatencySink`` once per registered request code when it is built and keeps the answers in a
/// frozen table, so timing a request costs two clock reads and one call, with no lock or label lookup.
public protocol RequestLatencyRecorder: Sendable {
    /// The sink for one request code; called at start-up for registered codes and, rarely, for others.
    func sink(forRequestCode code: Int32) -> any RequestLatencySink
}

/// Where one request code's latencies go.
public protocol RequestLatencySink: Sendable {
    /// - Parameters:
    ///   - responseCode: the response's code (never called for one-way requests).
    ///   - nanoseconds: monotonic time from dispatch to the response being handed to the channel.
    func record(responseCode: Int32, nanoseconds: UInt64)
}
