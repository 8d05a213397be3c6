//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import NIOPosix
import RocketMQCommon
import RocketMQMetrics
import RocketMQRemoting
import ServiceLifecycle
import Synchronization

/// The name server: route tables, KV config, the remoting server and the dead-broker scan
/// (Java `NamesrvController`). Runs as a `Service` so a `ServiceGroup` drives start and shutdown.
public final class NamesrvController: Service, Sendable {
    private let configBox: Mutex<NamesrvConfig>
    private let started = Atomic<Bool>(false)
    public let routes: RouteInfoManager
    public let kv: KVConfigManager
    public let server: RemotingServer
    let logger: Logger
    let metrics: NamesrvMetrics
    /// `GET /metrics` under `metricsExporterType=PROM`, else nil.
    let metricsServer: PrometheusHTTPServer?

    public var config: NamesrvConfig { configBox.withLock { $0 } }

    /// - Parameter decompress: zlib inflate for compressed REGISTER_BROKER bodies.
    public init(config: NamesrvConfig, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger, decompress: @escaping @Sendable ([UInt8]) throws -> [UInt8]) throws {
        self.configBox = Mutex(config)
        self.logger = logger
        let metrics = try NamesrvMetrics(config: config)
        self.metrics = metrics
        let promEnabled = config.metricsExporterType == MetricsExporterType.prom.rawValue
        let routes = RouteInfoManager(logger: logger)
        let kv = KVConfigManager(path: config.kvConfigPath, logger: logger)
        self.routes = routes
        self.kv = kv
        let box = ControllerBox()
        var table = ProcessorTable()
        let lane = ExecutionLane(name: "namesrv", capacity: 10_000)
        try table.register(BrokerRegistrationProcessor(routes: routes, decompress: decompress),
                           for: .registerBroker, .unregisterBroker, .queryDataVersion, lane: lane)
        try table.register(RouteQueryProcessor(routes: routes, kv: kv, orderMessageEnable: { box.controller?.config.orderMessageEnable ?? false }),
                           for: .getRouteInfoByTopic, .getBrokerClusterInfo, .getAllTopicListFromNameserver,
                           .getTopicsByCluster, .getSystemTopicListFromNS, .deleteTopicInNamesrv,
                           .wipeWritePermOfBroker, .addWritePermOfBroker, lane: lane)
        try table.register(KVConfigProcessor(kv: kv), for: .putKVConfig, .getKVConfig, .deleteKVConfig,
                           .getKVListByNamespace, lane: lane)
        try table.register(NamesrvConfigProcessor(controller: box), for: .getNamesrvConfig, .updateNamesrvConfig, lane: lane)
        self.server = RemotingServer(
            configuration: .init(host: config.bindAddress, port: config.listenPort,
                                 channelIdleTimeout: .seconds(Int64(config.serverChannelMaxIdleTimeSeconds)),
                                 frameReadTimeout: config.serverFrameReadTimeoutSeconds > 0
                                     ? .seconds(Int64(config.serverFrameReadTimeoutSeconds)) : nil,
                                 maxConnections: config.serverMaxConnections,
                                 socketSendBufferSize: config.serverSocketSndBufSize,
                                 socketReceiveBufferSize: config.serverSocketRcvBufSize,
                                 tls: try RemotingServerTLS(config: config.tls, logger: logger)),
            processors: table, group: group, logger: logger,
            latencyRecorder: promEnabled ? metrics.rpcLatency : nil)
        self.metricsServer = promEnabled
            ? PrometheusHTTPServer(group: group, logger: logger) { metrics.render(routes: routes) } : nil
        box.set(self)
        server.addChannelCloseListener { [routes] channel in routes.onChannelDestroy(channelID: ObjectIdentifier(channel)) }
    }

    /// Loads KV config and binds the port. Returns the bound port.
    @discardableResult
    public func start() async throws -> Int {
        if started.exchange(true, ordering: .acquiringAndReleasing) { return server.localPort ?? config.listenPort }
        kv.load()
        let port = try await server.start()
        if let metricsServer {
            let c = config
            let host = c.metricsPromExporterHost.isEmpty ? c.bindAddress : c.metricsPromExporterHost
            do {
                try await metricsServer.start(host: host, port: c.metricsPromExporterPort)
            } catch {
                await server.shutdown()
                throw NamesrvMetricsError(host: host, port: c.metricsPromExporterPort, reason: "\(error)")
            }
        }
        return port
    }

    /// The port `GET /metrics` is served on (PROM only, once started).
    public var metricsPort: Int? { metricsServer?.localPort }

    public func shutdown() async {
        await server.shutdown()
        await metricsServer?.shutdown()
    }

    /// Runs until graceful shutdown: start, then scan for dead brokers on an interval.
    public func run() async throws {
        try await start()
        await withGracefulShutdownHandler {
            // Cancelled on graceful shutdown so SIGTERM does not wait for the next scan tick.
            await cancelWhenGracefulShutdown { await self.scanLoop() }
        } onGracefulShutdown: {
            self.logger.info("name server shutting down")
        }
        await shutdown()
    }

    /// The scan loop; ends on task cancellation or graceful shutdown.
    public func scanLoop() async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let c = config
            try? await Task.sleep(nanoseconds: UInt64(c.scanNotActiveBrokerInterval) * 1_000_000)
            if Task.isCancelled || Task.isShuttingDownGracefully { break }
            routes.scanNotActiveBroker(expiredMillis: c.brokerChannelExpiredTime)
        }
    }

    func updateConfig(_ pairs: [(key: String, value: String)]) throws(ConfigError) {
        var c = config
        _ = try NamesrvConfig.binder.apply(pairs, to: &c)
        let updated = c
        configBox.withLock { $0 = updated }
    }
}

/// Lets processors built before the controller reach it once it exists.
final class ControllerBox: Sendable {
    private let ref = Mutex<NamesrvController?>(nil)
    func set(_ c: NamesrvController) { ref.withLock { $0 = c } }
    var controller: NamesrvController? { ref.withLock { $0 } }
    var config: NamesrvConfig { controller?.config ?? NamesrvConfig() }
    func updateConfig(_ pairs: [(key: String, value: String)]) throws(ConfigError) { try controller?.updateConfig(pairs) }
}

/// The PROM exporter could not listen (port taken, bad host).
public struct NamesrvMetricsError: Error, CustomStringConvertible {
    public let host: String
    public let port: Int
    public let reason: String
    public var description: String {
        "cannot serve metrics on metricsPromExporterHost:metricsPromExporterPort (\(host):\(port)): \(reason)"
    }
}
