//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import NIOHTTP1
import NIOPosix

/// Answers `GET /metrics` with the Prometheus text exposition; 404 for other paths, 405 for other
/// methods. The exposition is rendered on the exporter's own thread, neither on an event loop nor on
/// Swift's cooperative pool (consumer lag reads consume queues, which may fault pages in), then
/// written back on the channel's loop. Keep-alive is honoured, as Prometheus reuses its connection.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let render: @Sendable () -> [UInt8]
    private let threadPool: NIOThreadPool
    private var head: HTTPRequestHead?

    init(render: @escaping @Sendable () -> [UInt8], threadPool: NIOThreadPool) {
        self.render = render
        self.threadPool = threadPool
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        guard head.method == .GET || head.method == .HEAD else {
            write(status: .methodNotAllowed, body: Array("only GET /metrics\n".utf8), head: head, context: context)
            return
        }
        guard path == "/metrics" || path == "/metrics/" else {
            write(status: .notFound, body: Array("see /metrics\n".utf8), head: head, context: context)
            return
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        threadPool.runIfActive(eventLoop: context.eventLoop, self.render).whenComplete { result in
            let (handler, context) = bound.value
            switch result {
            case .success(let body): handler.write(status: .ok, body: body, head: head, context: context)
            case .failure:
                handler.write(
                    status: .serviceUnavailable,
                    body: Array("shutting down\n".utf8),
                    head: head,
                    context: context
                )
            }
        }
    }

    private func write(status: HTTPResponseStatus, body: [UInt8], head: HTTPRequestHead, context: ChannelHandlerContext)
    {
        var headers = HTTPHeaders()
        headers.add(
            name: "Content-Type",
            value: status == .ok ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain"
        )
        headers.add(name: "Content-Length", value: String(body.count))
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil
        )
        if head.method != .HEAD {
            var buffer = context.channel.allocator.buffer(capacity: body.count)
            buffer.writeBytes(body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}

@available(*, unavailable)
extension MetricsHTTPHandler: Sendable {}
