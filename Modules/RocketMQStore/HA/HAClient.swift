//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import NIOPosix
import RocketMQCommon
import Synchronization

/// The slave's link to its master (Java `DefaultHAClient`): connects, reports its offset, writes the
/// master's blocks into the commit log at the same offsets, and reconnects when the link drops
/// (at once after a drop, every 5 s while the master cannot be reached).
final class HAClient: Sendable {
    private struct State: Sendable {
        var masterAddress: String?
        var channel: (any Channel)?
        var connecting = false
        var started = false
        var stopped = false
        var retry: Scheduled<Void>?
        /// When the current link last received bytes (for status output), ms since the epoch.
        var lastTransferMillis: Int64 = 0
    }

    let config: MessageStoreConfig
    let commitLog: CommitLog
    let group: any EventLoopGroup
    let logger: Logger
    let didReplicate: @Sendable (Bool) -> Void
    private let state = Mutex(State())
    /// Link statistics for `mqadmin haStatus` (written by the link's handler).
    let bytesPerSecond = Atomic<Int64>(0)
    let lastReadMillis = Atomic<Int64>(0)
    let lastWriteMillis = Atomic<Int64>(0)
    static let reconnectDelay = TimeAmount.seconds(5)

    init(
        config: MessageStoreConfig, commitLog: CommitLog, group: any EventLoopGroup, logger: Logger,
        didReplicate: @escaping @Sendable (Bool) -> Void
    ) {
        self.config = config
        self.commitLog = commitLog
        self.group = group
        self.logger = logger
        self.didReplicate = didReplicate
    }

    var masterAddress: String? { self.state.withLock { $0.masterAddress } }
    var isConnected: Bool { self.state.withLock { $0.channel?.isActive ?? false } }
    var lastTransferMillis: Int64 { self.state.withLock { $0.lastTransferMillis } }

    func start() {
        self.state.withLock { $0.started = true }
        self.connect()
    }

    /// Follows `address` (`host:port` of the master's HA port) from now on (Java `updateHaMasterAddress`).
    func updateMasterAddress(_ address: String) {
        let address = address.trimmingChars(" ")
        guard !address.isEmpty else { return }
        let (changed, old) = self.state.withLock { s -> (Bool, (any Channel)?) in
            guard s.masterAddress != address else { return (false, nil) }
            s.masterAddress = address
            let old = s.channel
            s.channel = nil
            return (true, old)
        }
        guard changed else { return }
        self.logger.info("HA master address set", metadata: ["haMasterAddress": "\(address)"])
        old?.close(promise: nil)
        self.connect()
    }

    func shutdown() {
        let (channel, retry) = self.state.withLock { s -> ((any Channel)?, Scheduled<Void>?) in
            s.stopped = true
            defer { s.channel = nil; s.retry = nil }
            return (s.channel, s.retry)
        }
        retry?.cancel()
        channel?.close(promise: nil)
    }

    func noteTransfer() {
        let now = Clock.millis()
        self.state.withLock { $0.lastTransferMillis = now }
    }

    private func connect() {
        let target: (host: String, port: Int)? = self.state.withLock { s in
            guard s.started, !s.stopped, !s.connecting, s.channel == nil, let address = s.masterAddress,
                let parsed = Self.parse(address)
            else { return nil }
            s.connecting = true
            s.retry?.cancel()
            s.retry = nil
            return parsed
        }
        guard let target else { return }
        let client = self
        ClientBootstrap(group: self.group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(3))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(HAClientHandler(client: client))
                }
            }
            .connect(host: target.host, port: target.port)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    let keep = client.state.withLock { s -> Bool in
                        s.connecting = false
                        guard !s.stopped, s.masterAddress.flatMap(Self.parse).map({ $0 == target }) ?? false else {
                            return false
                        }
                        s.channel = channel
                        return true
                    }
                    guard keep else {
                        channel.close(promise: nil)
                        client.connect()
                        return
                    }
                    client.logger.info("HAClient connected to master", metadata: ["master": "\(target.host):\(target.port)"])
                    channel.closeFuture.whenComplete { _ in client.linkClosed(channel) }
                case .failure(let error):
                    client.state.withLock { $0.connecting = false }
                    client.logger.warning(
                        "HAClient cannot connect to master; retrying in 5 s",
                        metadata: ["master": "\(target.host):\(target.port)", "error": "\(error)"])
                    client.scheduleRetry(after: Self.reconnectDelay)
                }
            }
    }

    private func linkClosed(_ channel: any Channel) {
        let mine = self.state.withLock { s -> Bool in
            guard let current = s.channel, current === channel else { return false }
            s.channel = nil
            return true
        }
        guard mine else { return }
        self.logger.info("HAClient link to master closed; reconnecting")
        self.scheduleRetry(after: .seconds(1))
    }

    private func scheduleRetry(after delay: TimeAmount) {
        let client = self
        let task = self.group.next().scheduleTask(in: delay) { client.connect() }
        let stale = self.state.withLock { s -> Scheduled<Void>? in
            let old = s.retry
            s.retry = task
            return old
        }
        stale?.cancel()
        if self.state.withLock({ $0.stopped }) { task.cancel() }
    }

    static func parse(_ address: String) -> (host: String, port: Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            port > 0, port <= 65535
        else { return nil }
        let host = String(address[..<colon])
        return host.isEmpty ? nil : (host, port)
    }
}
