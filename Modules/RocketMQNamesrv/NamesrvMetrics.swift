//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQMetrics

/// The name server's metrics: `rocketmq_rpc_latency` (as a 5.x node's remoting layer records it) and
/// route counts read at scrape time. Upstream's name server exports no route gauges; these two are ours
/// and carry the `rocketmq_namesrv_` prefix to say so.
struct NamesrvMetrics: Sendable {
    let commonLabels: MetricsLabels
    let rpcLatency = RPCLatencyMetrics()

    /// - Throws: `ConfigError` naming the key for an exporter this build lacks or a malformed label list.
    init(config: NamesrvConfig) throws(ConfigError) {
        let type = MetricsExporterType(rawValue: config.metricsExporterType) ?? .disable
        if let reason = type.unsupportedReason {
            throw ConfigError(key: "metricsExporterType", value: config.metricsExporterType, reason: reason)
        }
        var pairs: [(String, String)]
        switch MetricsLabels.parse(config.metricsLabel) {
        case .success(let parsed): pairs = parsed
        case .failure(let error):
            throw ConfigError(key: "metricsLabel", value: config.metricsLabel, reason: error.reason)
        }
        if type == .prom && config.metricsPromExporterPort == config.listenPort && config.listenPort != 0 {
            throw ConfigError(
                key: "metricsPromExporterPort",
                value: String(config.metricsPromExporterPort),
                reason: "must differ from listenPort"
            )
        }
        let builtIn = [("node_type", "nameserver"), ("node_id", "\(config.bindAddress):\(config.listenPort)")]
        pairs.removeAll { pair in builtIn.contains { $0.0 == pair.0 } }
        self.commonLabels = MetricsLabels(pairs + builtIn)
    }

    func render(routes: RouteInfoManager) -> [UInt8] {
        var w = ExpositionWriter(commonLabels: commonLabels)
        let tables = routes.snapshot
        var perCluster: [String: Int64] = [:]
        for (cluster, brokerNames) in tables.clusterAddrTable {
            var live: Int64 = 0
            for name in brokerNames {
                for addr in (tables.brokerAddrTable[name]?.brokerAddrs ?? [:]).values
                where tables.brokerLiveTable[addr] != nil {
                    live += 1
                }
            }
            perCluster[cluster] = live
        }
        for (cluster, count) in perCluster.sorted(by: { $0.key < $1.key }) {
            w.gauge(
                "rocketmq_namesrv_broker_number",
                help: "Live broker addresses registered, by cluster",
                labels: [("cluster", cluster)],
                value: count
            )
        }
        w.gauge(
            "rocketmq_namesrv_topic_number",
            help: "Topics with a route",
            value: Int64(tables.topicQueueTable.count)
        )
        rpcLatency.write(into: &w)
        return w.bytes()
    }
}
