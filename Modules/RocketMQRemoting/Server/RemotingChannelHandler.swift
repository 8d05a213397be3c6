//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import NIOSSL
import RocketMQCommon

/// The per-connection handler shared by server and client: requests go to the dispatcher, responses
/// complete pending invocations, idle and malformed connections are closed with one log line.
final class RemotingChannelHandler: ChannelInboundHandler {
    typealias InboundIn = RemotingCommand

    let dispatcher: RequestDispatcher?
    let pending: PendingResponses
    let logger: Logger
    let onClose: (@Sendable (any Channel) -> Void)?
    /// Created on the first request; only touched on this channel's event loop.
    private var flusher: ResponseFlusher?

    init(dispatcher: RequestDispatcher?, pending: PendingResponses, logger: Logger,
         onClose: (@Sendable (any Channel) -> Void)?) {
        self.dispatcher = dispatcher
        self.pending = pending
        self.logger = logger
        self.onClose = onClose
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let command = Self.unwrapInboundIn(data)
        if command.isResponse {
            if !pending.complete(command) {
                logger.debug("response without a pending request", metadata: ["opaque": "\(command.opaque)"])
            }
        } else if let dispatcher {
            if flusher == nil { flusher = ResponseFlusher(channel: context.channel) }
            dispatcher.dispatch(command, channel: context.channel, flusher: flusher!)
        } else if !command.isOneway {
            var response = RemotingCommand.response(.requestCodeNotSupported,
                                                    remark: " request type \(command.code) not supported")
            response.opaque = command.opaque
            response.serializeType = command.serializeType
            context.writeAndFlush(NIOAny(response), promise: nil)
        }
    }

    /// Server side: a peer that sends requests but does not read the answers fills our outbound buffer;
    /// stop reading from it until the buffer drains, so its backlog stays bounded by the write watermark.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if dispatcher != nil {
            context.channel.setOption(ChannelOptions.autoRead, value: context.channel.isWritable).whenFailure { _ in }
            if context.channel.isWritable { context.read() }
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .all {
            logger.info("closing idle channel (serverChannelMaxIdleTimeSeconds)",
                        metadata: ["peer": "\(context.remoteAddress.map { "\($0)" } ?? "?")"])
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let peer = context.remoteAddress.map { "\($0)" } ?? "?"
        if case .frameTooLarge(let length)? = error as? RemotingDecodingError,
           length >> 24 == Int(TLSModeHandler.handshakeMagicCode) {
            // A TLS ClientHello read as a frame length: TLS is not served here (tls.server.mode=disabled).
            logger.warning("Clients intend to establish an SSL connection while this server is running in SSL disabled mode; closing the connection",
                           metadata: ["peer": "\(peer)"])
        } else if error is RemotingDecodingError {
            logger.warning("closing connection after a malformed frame", metadata: ["peer": "\(peer)", "error": "\(error)"])
        } else if let tlsError = error as? NIOSSLError, case .uncleanShutdown = tlsError {
            // A TLS peer that closed its socket without close_notify: as common and harmless as an EOF.
        } else if !(error is ChannelError) && !(error is IOError) {
            logger.info("closing connection after an error", metadata: ["peer": "\(peer)", "error": "\(error)"])
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        pending.failAll(channelID: ObjectIdentifier(context.channel), RemotingError.connectionClosed(address: context.remoteAddress.map { "\($0)" } ?? "?"))
        onClose?(context.channel)
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension RemotingChannelHandler: Sendable {}

extension Channel {
    /// Installs the remoting codec and handler on a fresh channel.
    func addRemotingHandlers(dispatcher: RequestDispatcher?, pending: PendingResponses, logger: Logger,
                             idleTimeout: TimeAmount?, frameReadTimeout: TimeAmount? = nil,
                             onClose: (@Sendable (any Channel) -> Void)?) -> EventLoopFuture<Void> {
        self.eventLoop.makeCompletedFuture {
            let sync = self.pipeline.syncOperations
            if let idleTimeout { try sync.addHandler(IdleStateHandler(allTimeout: idleTimeout)) }
            let decoder = RemotingCommandDecoder(frameReadTimeout: frameReadTimeout) { channel, timeout in
                logger.warning("closing connection: a frame stayed incomplete too long (serverFrameReadTimeoutSeconds)",
                               metadata: ["peer": "\(channel.remoteAddress.map { "\($0)" } ?? "?")",
                                          "timeout": "\(timeout.nanoseconds / 1_000_000_000)s"])
            }
            try sync.addHandler(ByteToMessageHandler(decoder))
            try sync.addHandler(RemotingCommandEncoder())
            try sync.addHandler(RemotingChannelHandler(dispatcher: dispatcher, pending: pending, logger: logger, onClose: onClose))
        }
    }
}
