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

        public init(host: String = "0.0.0.0", port: Int, channelIdleTimeout: TimeAmount = .seconds(120),
                    drainTimeout: TimeAmount = .seconds(5)) {
            self.host = host
            self.port = port
            self.channelIdleTimeout = channelIdleTimeout
            self.drainTimeout = drainTimeout
        }
    }

    public let configuration: Configuration
    public let dispatcher: RequestDispatcher
    public let pending = PendingResponses()
    let group: any EventLoopGroup
    let logger: Logger
    private let state = Mutex<(server: (any Channel)?, children: [ObjectIdentifier: any Channel])>((nil, [:]))
    private let closeListeners = Mutex<[@Sendable (any Channel) -> Void]>([])

    public init(configuration: Configuration, processors: ProcessorTable, group: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.dispatcher = RequestDispatcher(table: processors, logger: logger)
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
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .childChannelInitializer { [self] channel in
                let id = ObjectIdentifier(channel)
                self.state.withLock { $0.children[id] = channel }
                return channel.addRemotingHandlers(
                    dispatcher: dispatcher, pending: pending, logger: logger, idleTimeout: idle,
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
