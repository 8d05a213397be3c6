//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQMetrics
import RocketMQRemoting

/// Name server settings (Java `NamesrvConfig` + `NettyServerConfig`), upstream key names and defaults.
public struct NamesrvConfig: Sendable {
    public var rocketmqHome = getenvString(MixAll.rocketmqHomeEnv) ?? ""
    public var kvConfigPath = expandTilde("~/namesrv/kvConfig.json")
    public var configStorePath = expandTilde("~/namesrv/namesrv.properties")
    public var orderMessageEnable = false
    public var listenPort = 9876
    public var bindAddress = "0.0.0.0"
    /// How often dead brokers are looked for, in ms (upstream scans every 10 s).
    public var scanNotActiveBrokerInterval: Int64 = 10_000
    /// A broker not re-registered within this many ms is dropped.
    public var brokerChannelExpiredTime: Int64 = 120_000
    public var serverChannelMaxIdleTimeSeconds = 120
    /// SO_SNDBUF / SO_RCVBUF of accepted sockets; 0 = system default (upstream `NettyServerConfig`).
    public var serverSocketSndBufSize = 0
    public var serverSocketRcvBufSize = 0
    /// Ours (upstream has no such guard): a frame must arrive whole this long after its first byte, else
    /// the connection is closed (slowloris); 0 = no limit.
    public var serverFrameReadTimeoutSeconds = 30
    /// Ours: connections beyond this many are closed on accept; 0 = no limit but file descriptors.
    public var serverMaxConnections = 0
    public var serverWorkerThreads = 8
    /// Metrics, as the broker's keys (upstream's controller uses the same names): DISABLE or PROM.
    public var metricsExporterType = "DISABLE"
    /// Where PROM serves `GET /metrics`; empty = bindAddress.
    public var metricsPromExporterHost = ""
    public var metricsPromExporterPort = 5557
    /// Extra labels on every series, `k1:v1,k2:v2`.
    public var metricsLabel = ""
    /// The `tls.*` keys (namesrv.conf lines, `-D` flags, `tls.config.file`); kept out of ``binder``.
    public var tls = TLSSystemConfig()

    public init() {}

    public static let binder = ConfigBinder<NamesrvConfig>([
        .string("rocketmqHome", \.rocketmqHome),
        .string("kvConfigPath", \.kvConfigPath, important: true),
        .string("configStorePath", \.configStorePath),
        .bool("orderMessageEnable", \.orderMessageEnable),
        .int("listenPort", \.listenPort, range: 0...65535, important: true),
        .string("bindAddress", \.bindAddress, important: true),
        .int("scanNotActiveBrokerInterval", \.scanNotActiveBrokerInterval, range: 10...3_600_000),
        .int("brokerChannelExpiredTime", \.brokerChannelExpiredTime, range: 100...86_400_000),
        .int("serverChannelMaxIdleTimeSeconds", \.serverChannelMaxIdleTimeSeconds, range: 1...86_400),
        .int("serverSocketSndBufSize", \.serverSocketSndBufSize, range: 0...(64 << 20)),
        .int("serverSocketRcvBufSize", \.serverSocketRcvBufSize, range: 0...(64 << 20)),
        .int("serverFrameReadTimeoutSeconds", \.serverFrameReadTimeoutSeconds, range: 0...86_400),
        .int("serverMaxConnections", \.serverMaxConnections, range: 0...10_000_000),
        .int("serverWorkerThreads", \.serverWorkerThreads, range: 1...512),
        .choice("metricsExporterType", \.metricsExporterType, MetricsExporterType.allNames),
        .string("metricsPromExporterHost", \.metricsPromExporterHost),
        .int("metricsPromExporterPort", \.metricsPromExporterPort, range: 0...65535),
        .string("metricsLabel", \.metricsLabel),
    ])
}
