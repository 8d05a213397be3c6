//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQMetrics

extension BrokerConfig {
    /// The parsed `metricsExporterType` (the binder admits only known names).
    public var metricsExporter: MetricsExporterType { MetricsExporterType(rawValue: metricsExporterType) ?? .disable }

    /// Where PROM binds: `metricsPromExporterHost`, else `brokerIP1` (upstream's fallback).
    public var resolvedMetricsPromExporterHost: String {
        metricsPromExporterHost.isEmpty ? brokerIP1 : metricsPromExporterHost
    }

    /// Labels on every broker series: `metricsLabel` pairs, `aggregation` when `metricsInDelta`, then
    /// `node_type`, `cluster` and `node_id` (upstream `BrokerMetricsManager` order of precedence: the
    /// built-in ones win over a user pair of the same name).
    public func metricsCommonLabels() -> MetricsLabels {
        var pairs = (try? MetricsLabels.parse(metricsLabel).get()) ?? []
        let builtIn = [("node_type", "broker"), ("cluster", brokerClusterName), ("node_id", brokerName)]
        pairs.removeAll { pair in builtIn.contains { $0.0 == pair.0 } || pair.0 == "aggregation" }
        if metricsInDelta { pairs.append(("aggregation", "delta")) }
        return MetricsLabels(pairs + builtIn)
    }

    /// Metrics keys that parse one by one but cannot run: an exporter this build lacks, a bad label list.
    func validateMetrics() throws(ConfigError) {
        if let reason = metricsExporter.unsupportedReason {
            throw ConfigError(key: "metricsExporterType", value: metricsExporterType, reason: reason)
        }
        if case .failure(let error) = MetricsLabels.parse(metricsLabel) {
            throw ConfigError(key: "metricsLabel", value: metricsLabel, reason: error.reason)
        }
        if metricsExporter == .prom && metricsPromExporterPort == listenPort && listenPort != 0 {
            throw ConfigError(
                key: "metricsPromExporterPort",
                value: String(metricsPromExporterPort),
                reason: "must differ from listenPort"
            )
        }
    }
}
