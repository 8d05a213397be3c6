//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import CoreMetrics
import Prometheus

/// Counters for low-rate events (DLQ sends, transaction commits and rollbacks), kept with the
/// swift-metrics API over a node-private swift-prometheus registry.
///
/// Each node has its own ``PrometheusMetricsFactory`` instead of bootstrapping the process-global
/// `MetricsSystem`, so several brokers in one process (tests, a broker with its name server) keep their
/// series apart. An increment looks its series up in the registry under a lock, which is fine at these
/// rates; the per-message counters live in atomic tables instead.
package final class EventCounters: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let common: [(String, String)]

    package init(commonLabels: MetricsLabels) {
        self.factory = PrometheusMetricsFactory(registry: registry)
        self.common = commonLabels.pairs
    }

    /// Adds one to the series `name{common…, labels…}`.
    package func increment(_ name: String, labels: [(String, String)]) {
        CoreMetrics.Counter(label: name, dimensions: common + labels, factory: factory).increment()
    }

    /// The series so far, in text exposition format.
    package func emit(into buffer: inout [UInt8]) { registry.emit(into: &buffer) }
}
