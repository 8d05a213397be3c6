//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore

/// Tells TLS from plaintext by a connection's first byte, then leaves the pipeline (upstream
/// `NettyRemotingServer.HandshakeHandler`).
///
/// A TLS connection starts with a handshake record (content type `0x16`); a remoting frame starts with
/// its big-endian length, whose top byte is 0 for any frame under 16 MiB. On `0x16` the TLS handler is
/// inserted right after this one; otherwise the bytes go on as they are. Either way this handler
/// removes itself on the first read, so plaintext traffic pays one extra handler call per connection
/// and nothing per frame. Disabled mode installs no handler at all (see ``RemotingServer``): a
/// handshake then reads as an oversized frame and the decoder closes the connection.
final class TLSModeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    static let handshakeMagicCode: UInt8 = 0x16
    /// Pipeline names, upstream's (`HANDSHAKE_HANDLER_NAME`, `TLS_HANDLER_NAME`).
    static let name = "handshakeHandler"
    static let tlsHandlerName = "sslHandler"

    private let tls: RemotingServerTLS
    private let logger: Logger
    /// Set once the connection is refused: later reads of the same batch are dropped, not re-judged.
    private var refused = false

    init(tls: RemotingServerTLS, logger: Logger) {
        self.tls = tls
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let buffer = Self.unwrapInboundIn(data)
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return }
        let peer = context.remoteAddress.map { "\($0)" } ?? "?"
        if first == Self.handshakeMagicCode {
            switch tls.mode {
            case .disabled:
                refuse(context, "Clients intend to establish an SSL connection while this server is running in SSL disabled mode", peer)
                return
            case .permissive, .enforcing:
                guard let handler = tls.makeHandler() else {
                    refuse(context, "Trying to establish an SSL connection but sslContext is null", peer)
                    return
                }
                do {
                    try context.pipeline.syncOperations.addHandler(handler, name: Self.tlsHandlerName, position: .after(self))
                } catch {
                    refuse(context, "cannot add the TLS handler: \(error)", peer)
                    return
                }
                logger.debug("Handlers prepended to channel pipeline to establish SSL connection", metadata: ["peer": "\(peer)"])
            }
        } else if tls.mode == .enforcing {
            refuse(context, "Clients intend to establish an insecure connection while this server is running in SSL enforcing mode", peer)
            return
        }
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func refuse(_ context: ChannelHandlerContext, _ message: String, _ peer: String) {
        refused = true
        if let count = tls.refusals.record() {
            logger.warning("\(message); closing the connection",
                           metadata: ["peer": "\(peer)", "tls.server.mode": "\(tls.mode.rawValue)", "refused": "\(count)"])
        }
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension TLSModeHandler: Sendable {}
