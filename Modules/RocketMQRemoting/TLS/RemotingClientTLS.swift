//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import NIOSSL
import RocketMQCommon

/// A client's TLS context (upstream `NettyRemotingClient` with `useTLS`), built once from the
/// `tls.client.*` keys of a ``TLSSystemConfig``.
public struct RemotingClientTLS: Sendable {
    let context: NIOSSLContext

    /// - Throws: ``ConfigError`` naming the `tls.client.*` key at fault.
    public init(config: TLSSystemConfig, logger: Logger) throws(ConfigError) {
        self.context = try TLSContextFactory.makeClient(config, logger: logger)
        logger.info("SSL enabled for client")
    }

    /// A TLS handler for a connection to `host`; the host name goes into SNI unless it is an IP address
    /// (SNI carries names only).
    func makeHandler(host: String) throws -> NIOSSLClientHandler {
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host)
    }
}
