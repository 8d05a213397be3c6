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
    private let render: @Sendable () -> [UInt8]
    private let channel = Mutex<(any Channel)?>(nil)
    /// One thread of its own for rendering: scrapes are rare and serial, and a shared pool could be
    /// full of someone else's blocking work exactly when Prometheus asks.
    private let renderPool = NIOThreadPool(numberOfThreads: 1)

    /// - Parameter render: builds one exposition; runs on the exporter's own thread, one scrape at a time.
    public init(group: any EventLoopGroup, logger: Logger, render: @escaping @Sendable () -> [UInt8]) {
        self.group = group
        self.logger = logger
        self.render = render
    }

    /// Binds and starts serving. - Returns: the bound port (useful with port 0).
    @discardableResult
    public func start(host: String, port: Int) async throws -> Int {
        let render = self.render
        let renderPool = self.renderPool
        renderPool.start()
        let bound: any Channel
        do {
            bound = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 64)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        let handler = MetricsHTTPHandler(render: render, threadPool: renderPool)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                }
                .bind(host: host, port: port)
                .get()
        } catch {
            try? await renderPool.shutdownGracefully()
            throw error
        }
        channel.withLock { $0 = bound }
        let actual = bound.localAddress?.port ?? port
        logger.info("prometheus exporter listening", metadata: ["host": "\(host)", "port": "\(actual)"])
        return actual
    }

    public var localPort: Int? { channel.withLock { $0?.localAddress?.port } }

    public func shutdown() async {
        guard
            let bound = channel.withLock({ c -> (any Channel)? in
                defer { c = nil }; return c
            })
        else { return }
        try? await bound.close()
        try? await renderPool.shutdownGracefully()
    }
}
