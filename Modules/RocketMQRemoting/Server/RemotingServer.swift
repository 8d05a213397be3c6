//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import NIOPosix
import RocketMQCommon
import Synchronization

/// A remoting server on SwiftNIO (Java `NettyRemotingServer`).
///
/// Requests run as tasks; responses carry the request's opaque and codec and may go out of order.
/// `shutdown` stops accepting, waits for in-flight requests to drain (bounded), then closes channels.
public final class RemotingServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        /// Channels with no read or write for this long are closed (`serverChannelMaxIdleTimeSeconds`).
        public var channelIdleTimeout: TimeAmount
        public var drainTimeout: TimeAmount
        /// A frame must arrive whole within this time of its first byte, or the connection is closed
        /// (ours: `serverFrameReadTimeoutSeconds`; upstream has no slowloris guard). nil = no limit.
        public var frameReadTimeout: TimeAmount?
        /// Connections beyond this many are closed as soon as they are accepted (ours:
        /// `serverMaxConnections`); 0 = no limit but the process's file descriptors.
        public var maxConnections: Int
        /// SO_SNDBUF / SO_RCVBUF of accepted sockets (`serverSocketSndBufSize` / `serverSocketRcvBufSize`);
        /// 0 keeps the system default, as upstream.
        public var socketSendBufferSize: Int
        public var socketReceiveBufferSize: Int
        /// `tls.server.mode` and its context; disabled by default here (servers built from broker or
        /// name-server config get upstream's permissive default from ``TLSSystemConfig``).
        public var tls: RemotingServerTLS

        public init(host: String = "0.0.0.0", port: Int, channelIdleTimeout: TimeAmount = .seconds(120),
                    drainTimeout: TimeAmount = .seconds(5), frameReadTimeout: TimeAmount? = .seconds(30),
                    maxConnections: Int = 0, socketSendBufferSize: Int = 0, socketReceiveBufferSize: Int = 0,
                    tls: RemotingServerTLS = .disabled) {
            self.host = host
            self.port = port
            self.channelIdleTimeout = channelIdleTimeout
            self.drainTimeout = drainTimeout
            self.frameReadTimeout = frameReadTimeout
            self.maxConnections = maxConnections
            self.socketSendBufferSize = socketSendBufferSize
            self.socketReceiveBufferSize = socketReceiveBufferSize
            self.tls = tls
        }
    }

    public let configuration: Configuration
    public let dispatcher: RequestDispatcher
    public let pending = PendingResponses()
    let group: any EventLoopGroup
    let logger: Logger
    private let state = Mutex<(server: (any Channel)?, children: [ObjectIdentifier: any Channel])>((nil, [:]))
    private let refusals = Mutex<(count: Int, lastLog: UInt64)>((0, 0))
    private let closeListeners = Mutex<[@Sendable (any Channel) -> Void]>([])

    /// - Parameters:
    ///   - rpcHook: runs before every processor (Java `registerRPCHook`); the broker's ACL check.
    ///   - latencyRecorder: times every request (Prometheus `rocketmq_rpc_latency`); nil = off.
    public init(configuration: Configuration, processors: ProcessorTable, group: any EventLoopGroup, logger: Logger,
                rpcHook: (any RPCHook)? = nil, latencyRecorder: (any RequestLatencyRecorder)? = nil) {
        self.configuration = configuration
        self.dispatcher = RequestDispatcher(table: processors, logger: logger, rpcHook: rpcHook,
                                            latencyRecorder: latencyRecorder)
        self.group = group
        self.logger = logger
    }

    /// Called (on an event loop) when any client channel closes; used to drop brokers and clients at once.
    public func addChannelCloseListener(_ listener: @escaping @Sendable (any Channel) -> Void) {
        closeListeners.withLock { $0.append(listener) }
    }

    /// Binds and starts accepting. Returns the bound port (useful with port 0).
    @discardableResult
    public func start() async throws -> Int {
        let dispatcher = self.dispatcher
        let pending = self.pending
        let logger = self.logger
        let idle = configuration.channelIdleTimeout
        let frameReadTimeout = configuration.frameReadTimeout
        let maxConnections = configuration.maxConnections
        let tls = configuration.tls
        var bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
        if configuration.socketSendBufferSize > 0 {
            bootstrap = bootstrap.childChannelOption(.socketOption(.so_sndbuf), value: SocketOptionValue(configuration.socketSendBufferSize))
        }
        if configuration.socketReceiveBufferSize > 0 {
            bootstrap = bootstrap.childChannelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(configuration.socketReceiveBufferSize))
        }
        let channel = try await bootstrap
            .childChannelInitializer { [self] channel in
                let id = ObjectIdentifier(channel)
                let admitted = self.state.withLock { s -> Bool in
                    guard maxConnections <= 0 || s.children.count < maxConnections else { return false }
                    s.children[id] = channel
                    return true
                }
                guard admitted else {
                    self.logRefusedConnection(channel, limit: maxConnections)
                    return channel.close()
                }
                if tls.mode != .disabled {
                    // First in the pipeline: it must see the raw bytes (see TLSModeHandler).
                    do {
                        try channel.pipeline.syncOperations.addHandler(TLSModeHandler(tls: tls, logger: logger), name: TLSModeHandler.name)
                    } catch {
                        return channel.eventLoop.makeFailedFuture(error)
                    }
                }
                return channel.addRemotingHandlers(
                    dispatcher: dispatcher, pending: pending, logger: logger, idleTimeout: idle,
                    frameReadTimeout: frameReadTimeout,
                    onClose: { [self] ch in
                        self.state.withLock { _ = $0.children.removeValue(forKey: ObjectIdentifier(ch)) }
                        for listener in self.closeListeners.withLock({ $0 }) { listener(ch) }
                    })
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        state.withLock { $0.server = channel }
        return channel.localAddress?.port ?? configuration.port
    }

    /// One warning per second at most while connections are being refused, with the count refused.
    private func logRefusedConnection(_ channel: any Channel, limit: Int) {
        let now = NIODeadline.now().uptimeNanoseconds
        let report = refusals.withLock { r -> Int? in
            r.count += 1
            guard now >= r.lastLog + 1_000_000_000 else { return nil }
            r.lastLog = now
            defer { r.count = 0 }
            return r.count
        }
        if let report {
            logger.warning("refusing connections: serverMaxConnections reached",
                           metadata: ["limit": "\(limit)", "refused": "\(report)",
                                      "peer": "\(channel.remoteAddress.map { "\($0)" } ?? "?")"])
        }
    }

    /// Connections currently open.
    public var connectionCount: Int { state.withLock { $0.children.count } }

    public var localPort: Int? { state.withLock { $0.server?.localAddress?.port } }

    /// Sends a request to a connected client and awaits its answer (broker → client calls).
    public func invoke(_ request: RemotingCommand, on channel: any Channel, timeoutMillis: Int64) async throws -> RemotingCommand {
        try await pending.invoke(request, on: channel, timeoutMillis: timeoutMillis)
    }

    public func invokeOneway(_ request: RemotingCommand, on channel: any Channel) async throws {
        try await PendingResponses.invokeOneway(request, on: channel)
    }

    public func shutdown() async {
        let server = state.withLock { s -> (any Channel)? in
            let c = s.server
            s.server = nil
            return c
        }
        try? await server?.close()
        let deadline = NIODeadline.now() + configuration.drainTimeout
        while dispatcher.inFlightCount > 0 && NIODeadline.now() < deadline {
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        let children = state.withLock { s -> [any Channel] in
            let c = Array(s.children.values)
            s.children.removeAll()
            return c
        }
        // Flush before closing, on the channel's loop: a response written just before the in-flight
        // count reached zero may still wait for its coalesced flush (see `ResponseFlusher`).
        for child in children {
            try? await child.eventLoop.flatSubmit { () -> EventLoopFuture<Void> in
                child.flush()
                return child.close()
            }.get()
        }
    }
}
