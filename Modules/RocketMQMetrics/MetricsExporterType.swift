//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Upstream's `metricsExporterType` values (5.x `MetricsExporterType`). Only DISABLE and PROM are
/// served here; the others are known so that a 5.x broker.conf gets a clear "not supported" at start-up
/// instead of "unknown value".
public enum MetricsExporterType: String, Sendable, CaseIterable {
    case disable = "DISABLE"
    case otlpGRPC = "OTLP_GRPC"
    case prom = "PROM"
    case log = "LOG"

    /// The values a config key accepts.
    public static var allNames: [String] { allCases.map(\.rawValue) }

    /// Why a parsed value cannot run here, or nil when it can.
    public var unsupportedReason: String? {
        switch self {
        case .disable, .prom: return nil
        case .otlpGRPC, .log: return "\(rawValue) exporter is not supported by RocketMQ-Swift; use PROM or DISABLE"
        }
    }
}
