//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Prometheus

/// Builds one scrape's Prometheus text exposition (format 0.0.4).
///
/// Counters and gauges go into a fresh swift-prometheus `PrometheusCollectorRegistry` per scrape: their
/// values come from our own atomic tables (the hot paths never touch a registry), so nothing stale
/// survives a deleted topic or a gone consumer. Histograms come from ``AtomicHistogram`` and are written
/// here, as swift-prometheus histograms cannot be loaded from a snapshot. Every series gets the node's
/// common labels first.
package struct ExpositionWriter {
    private let registry = PrometheusCollectorRegistry()
    private let common: [(String, String)]
    private var histogramText = ""
    private var histogramFamilies = Set<String>()

    package init(commonLabels: MetricsLabels) { self.common = commonLabels.pairs }

    /// One counter series (the name carries upstream's `_total`).
    package func counter(_ name: String, help: String, labels: [(String, String)], value: Int64) {
        registry.makeCounter(descriptor: Self.descriptor(name, help), labels: common + labels).increment(
            by: max(0, value)
        )
    }

    /// One gauge series.
    package func gauge(_ name: String, help: String, labels: [(String, String)] = [], value: Int64) {
        registry.makeGauge(descriptor: Self.descriptor(name, help), labels: common + labels).set(Double(value))
    }

    /// One histogram series; `scale` divides bounds and sum (ns recorded, ms shown: 1e6).
    package mutating func histogram(
        _ name: String,
        help: String,
        labels: [(String, String)],
        upperBounds: [Int64],
        snapshot: AtomicHistogram.Snapshot,
        scale: Double = 1
    ) {
        if histogramFamilies.insert(name).inserted {
            histogramText += "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
        }
        let base = Self.render(common + labels)
        let prefix = base.isEmpty ? "" : base + ","
        for (index, bound) in upperBounds.enumerated() {
            let le = Self.number(Double(bound) / scale)
            histogramText += "\(name)_bucket{\(prefix)le=\"\(le)\"} \(snapshot.cumulative[index])\n"
        }
        histogramText += "\(name)_bucket{\(prefix)le=\"+Inf\"} \(snapshot.count)\n"
        histogramText += "\(name)_sum{\(base)} \(Self.number(Double(snapshot.sum) / scale))\n"
        histogramText += "\(name)_count{\(base)} \(snapshot.count)\n"
    }

    /// The whole exposition, with `events`' series (their names must not be written here too).
    package func bytes(appending events: EventCounters? = nil) -> [UInt8] {
        var buffer = registry.emitToBuffer()
        events?.emit(into: &buffer)
        buffer.append(contentsOf: histogramText.utf8)
        return buffer
    }

    private static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// `k="v",…` with the exposition format's escapes (backslash, quote, line feed).
    static func render(_ labels: [(String, String)]) -> String {
        labels.map { key, value in
            var escaped = ""
            for ch in value {
                switch ch {
                case "\\": escaped += "\\\\"
                case "\"": escaped += "\\\""
                case "\n": escaped += "\\n"
                default: escaped.append(ch)
                }
            }
            return "\(key)=\"\(escaped)\""
        }.joined(separator: ",")
    }

    /// Integers without a fraction ("1024", not "1024.0"), others as Swift prints them.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
