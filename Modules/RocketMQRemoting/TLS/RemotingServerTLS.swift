//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOSSL
import RocketMQCommon

/// A server's TLS mode with its ready-made context (upstream `NettyRemotingServer.loadSslContext`).
///
/// Built once at start-up from a ``TLSSystemConfig``, so certificate problems stop start-up naming
/// their key. Hides swift-nio-ssl from the modules that start servers.
public struct RemotingServerTLS: Sendable {
    public let mode: TLSMode
    let context: TLSContextFactory.Server?
    /// One per server (copies share it): rate-limits the refused-connection warnings.
    let refusals = TLSRefusalLog()

    /// Disabled: no TLS, and no per-connection handler either.
    public static let disabled = RemotingServerTLS(mode: .disabled, context: nil)

    private init(mode: TLSMode, context: TLSContextFactory.Server?) {
        self.mode = mode
        self.context = context
    }

    /// - Throws: ``ConfigError`` naming the `tls.*` key at fault (missing or unreadable certificate or
    ///   key, wrong key password, a trust file that is not PEM).
    public init(config: TLSSystemConfig, logger: Logger) throws(ConfigError) {
        logger.info("Server is running in TLS \(config.serverMode.rawValue) mode")
        self.mode = config.serverMode
        if config.serverMode == .disabled {
            self.context = nil
        } else {
            self.context = try TLSContextFactory.makeServer(config, logger: logger)
            logger.info("SSLContext created for server")
        }
    }

    /// A TLS handler for one accepted connection.
    func makeHandler() -> NIOSSLServerHandler? {
        guard let context else { return nil }
        if context.acceptAnyClientCertificate {
            return NIOSSLServerHandler(context: context.context) { _, promise in promise.succeed(.certificateVerified) }
        }
        return NIOSSLServerHandler(context: context.context)
    }
}
