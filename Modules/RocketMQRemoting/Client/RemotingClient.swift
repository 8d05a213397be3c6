//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import NIOPosix
import RocketMQCommon
import Synchronization

/// A remoting client with one connection per address (Java `NettyRemotingClient`).
///
/// Requests are matched to responses by opaque; requests the server sends us (broker callbacks) go to
/// the client's own processor table.
public final class RemotingClient: Sendable {
    let group: any EventLoopGroup
    let logger: Logger
    let pending = PendingResponses()
    let dispatcher: RequestDispatcher
    public let connectTimeout: TimeAmount
    /// nil: plaintext. A failure to set up TLS is kept and reported by every connect (naming the key).
    private let tls: Result<RemotingClientTLS, ConfigError>?
    private let connections = Mutex<[String: EventLoopFuture<any Channel>]>([:])
    private let closed = Atomic<Bool>(false)

    /// - Parameter tls: connect with TLS using its `tls.client.*` keys (upstream `useTLS`); nil = plaintext.
    public init(group: any EventLoopGroup, processors: ProcessorTable = ProcessorTable(), logger: Logger,
                connectTimeout: TimeAmount = .seconds(3), tls: TLSSystemConfig? = nil) {
        self.group = group
        self.logger = logger
        self.dispatcher = RequestDispatcher(table: processors, logger: logger)
        self.connectTimeout = connectTimeout
        self.tls = tls.map { config in
            Result { () throws(ConfigError) -> RemotingClientTLS in try RemotingClientTLS(config: config, logger: logger) }
        }
        if case .failure(let error)? = self.tls { logger.error("Failed to create SSLContext: \(error)") }
    }

    /// Whether connections use TLS.
    public var usesTLS: Bool { tls != nil }

    /// Throws the TLS set-up error, if any, so an owner can stop its start-up naming the key.
    public func checkTLS() throws(ConfigError) {
        if case .failure(let error)? = tls { throw error }
    }

    /// Returns a live connection to "host:port", connecting if needed.
    public func channel(for address: String) async throws -> any Channel {
        if closed.load(ordering: .acquiring) { throw RemotingError.shutdown }
        let future = connections.withLock { table -> EventLoopFuture<any Channel> in
            if let existing = table[address] { return existing }
            let f = connect(address)
            table[address] = f
            return f
        }
        do {
            let channel = try await future.get()
            if channel.isActive { return channel }
            connections.withLock { if $0[address] === future { $0[address] = nil } }
            return try await self.channel(for: address)
        } catch {
            connections.withLock { if $0[address] === future { $0[address] = nil } }
            throw RemotingError.connectFailed(address: address, reason: "\(error)")
        }
    }

    private func connect(_ address: String) -> EventLoopFuture<any Channel> {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            return group.next().makeFailedFuture(RemotingError.connectFailed(address: address, reason: "not host:port"))
        }
        let host = String(address[..<colon])
        let dispatcher = self.dispatcher
        let pending = self.pending
        let logger = self.logger
        let loop = group.next()
        let clientTLS: RemotingClientTLS?
        switch tls {
        case .none: clientTLS = nil
        case .success(let t)?: clientTLS = t
        case .failure(let error)?: return loop.makeFailedFuture(error)
        }
        // Created before the channel so the caller can wait on it; completed by the handshake handler,
        // or failed by a connect error or the timeout below.
        let handshake = clientTLS.map { _ in loop.makePromise(of: Void.self) }
        let connected = ClientBootstrap(group: loop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelInitializer { channel in
                if let clientTLS, let handshake {
                    do {
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(try clientTLS.makeHandler(host: host))
                        try sync.addHandler(TLSHandshakeCompletionHandler(promise: handshake))
                    } catch {
                        return channel.eventLoop.makeFailedFuture(error)
                    }
                }
                return channel.addRemotingHandlers(dispatcher: dispatcher, pending: pending, logger: logger, idleTimeout: nil,
                                                   onClose: { [self] _ in
                                                       // A replacement connection made meanwhile is re-made on demand.
                                                       _ = self.connections.withLock { $0.removeValue(forKey: address) }
                                                   })
            }
            .connect(host: host, port: port)
        guard let handshake else { return connected }
        connected.whenFailure { handshake.fail($0) }
        let handshakeTimeout = connectTimeout
        let timeout = loop.scheduleTask(in: handshakeTimeout) { handshake.fail(ChannelError.connectTimeout(handshakeTimeout)) }
        return connected.flatMap { channel in
            handshake.futureResult.always { _ in timeout.cancel() }.map { channel }.flatMapError { error in
                channel.close(promise: nil)
                return loop.makeFailedFuture(error)
            }
        }
    }

    /// Sends a request and waits for the response.
    public func invoke(_ address: String, _ request: RemotingCommand, timeoutMillis: Int64 = 3000) async throws
        -> RemotingCommand
    {
        let channel = try await channel(for: address)
        return try await pending.invoke(request, on: channel, timeoutMillis: timeoutMillis)
    }

    /// Sends a one-way request.
    public func invokeOneway(_ address: String, _ request: RemotingCommand) async throws {
        let channel = try await channel(for: address)
        try await PendingResponses.invokeOneway(request, on: channel)
    }

    /// Closes one address's connection (after repeated failures, for instance).
    public func closeChannel(_ address: String) async {
        let f = connections.withLock { $0.removeValue(forKey: address) }
        if let f, let c = try? await f.get() { try? await c.close() }
    }

    public func shutdown() async {
        closed.store(true, ordering: .releasing)
        let all = connections.withLock { t -> [EventLoopFuture<any Channel>] in
            let v = Array(t.values)
            t.removeAll()
            return v
        }
        for f in all { if let c = try? await f.get() { try? await c.close() } }
    }
}
