//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The `metricsExporterType=PROM` endpoint: a small NIOHTTP1 server on
/// `metricsPromExporterHost:metricsPromExporterPort` serving ``MetricsHTTPHandler``.
///
/// Upstream uses OpenTelemetry's `PrometheusHttpServer`; this plays its part. It runs on the node's event
/// loop group and does no work until scraped.
public final class PrometheusHTTPServer: Sendable {
    private let group: any EventLoopGroup
    private let logger: Logger
    private let render: @Sendable () async -> [UInt8]
    private let channel = Mutex<(any Channel)?>(nil)

    public init(group: any EventLoopGroup, logger: Logger, render: @escaping @Sendable () async -> [UInt8]) {
        self.group = group
        self.logger = logger
        self.render = render
    }

    /// Binds and starts serving. - Returns: the bound port (useful with port 0).
    @discardableResult
    public func start(host: String, port: Int) async throws -> Int {
        let render = self.render
        let bound = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(render: render))
                }
            }
            .bind(host: host, port: port)
            .get()
        channel.withLock { $0 = bound }
        let actual = bound.localAddress?.port ?? port
        logger.info("prometheus exporter listening", metadata: ["host": "\(host)", "port": "\(actual)"])
        return actual
    }

    public var localPort: Int? { channel.withLock { $0?.localAddress?.port } }

    public func shutdown() async {
        guard let bound = channel.withLock({ c -> (any Channel)? in defer { c = nil }; return c }) else { return }
        try? await bound.close()
    }
}
