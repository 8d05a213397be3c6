//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import NIOPosix
import RocketMQCommon
import Synchronization
import Testing
@testable import RocketMQRemoting

/// Hostile and lazy peers: frames that announce 2 GiB, frames trickled a byte at a time, silent
/// connections, too many connections, peers that never read. Each is cut off (or held back) by its
/// own limit while a well-behaved client on the same server is still answered.
@Suite("Remoting server connection limits", .timeLimit(.minutes(1)))
struct ConnectionLimitTests {
    static let echo = RequestCode(1000)

    static func table() throws -> ProcessorTable {
        var table = ProcessorTable()
        try table.register(ClosureProcessor { request, _ in .response(remark: "echo", body: request.body) },
                           for: echo, lane: ExecutionLane(name: "default", capacity: 1000))
        return table
    }

    static func withServer(_ configuration: RemotingServer.Configuration,
                           _ body: (RemotingServer, String, RemotingClient) async throws -> Void) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let server = RemotingServer(configuration: configuration, processors: try table(), group: group,
                                    logger: quietLogger())
        let port = try await server.start()
        let client = RemotingClient(group: group, logger: quietLogger())
        do {
            try await body(server, "127.0.0.1:\(port)", client)
        } catch {
            await client.shutdown()
            await server.shutdown()
            throw error
        }
        await client.shutdown()
        await server.shutdown()
    }

    /// A bare TCP connection without any codec.
    static func raw(_ server: RemotingServer, autoRead: Bool = true) async throws -> any Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.autoRead, value: autoRead)
            .connect(host: "127.0.0.1", port: server.localPort!).get()
    }

    static func echoRequest() -> RemotingCommand { .request(echo) }

    @Test("a frame announcing 2 GiB closes that connection at once, long before any timeout")
    func hugeFrameIsRefusedAtOnce() async throws {
        // Idle and partial-frame limits far away: only the length check can close this connection.
        try await Self.withServer(.init(host: "127.0.0.1", port: 0, channelIdleTimeout: .seconds(600),
                                        frameReadTimeout: .seconds(600))) { server, address, client in
            for announced: UInt32 in [0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF] {
                let channel = try await Self.raw(server)
                var bytes = ByteBuffer()
                bytes.writeInteger(announced)
                bytes.writeBytes([UInt8](repeating: 0, count: 1024))
                try await channel.writeAndFlush(bytes)
                try await waitUntil(timeout: .seconds(5), "the server to close the 2 GiB frame") { !channel.isActive }
            }
            #expect(try await client.invoke(address, Self.echoRequest()).code == 0)
        }
    }

    @Test("a frame trickled a byte at a time is cut off after serverFrameReadTimeoutSeconds; whole frames are not")
    func slowlorisIsClosed() async throws {
        try await Self.withServer(.init(host: "127.0.0.1", port: 0, channelIdleTimeout: .seconds(600),
                                        frameReadTimeout: .seconds(1))) { server, address, client in
            let slow = try await Self.raw(server)
            let start = ContinuousClock.now
            var header = ByteBuffer()
            header.writeInteger(Int32(64))
            try await slow.writeAndFlush(header)
            // One byte every 100 ms keeps the idle timer (600 s) from ever firing.
            while slow.isActive && ContinuousClock.now - start < .seconds(10) {
                try? await slow.writeAndFlush(ByteBuffer(bytes: [0]))
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(!slow.isActive)
            #expect(ContinuousClock.now - start >= .seconds(1))
            // A client whose requests arrive whole is never affected, however long it stays.
            for _ in 0..<3 {
                #expect(try await client.invoke(address, Self.echoRequest()).code == 0)
                try await Task.sleep(for: .milliseconds(600))
            }
            #expect(try await client.invoke(address, Self.echoRequest()).code == 0)
        }
    }

    @Test("a silent connection is closed after serverChannelMaxIdleTimeSeconds")
    func idleConnectionIsClosed() async throws {
        try await Self.withServer(.init(host: "127.0.0.1", port: 0, channelIdleTimeout: .seconds(1))) { server, _, _ in
            let idle = try await Self.raw(server)
            try await waitUntil(timeout: .seconds(10), "the idle connection to be closed") { !idle.isActive }
            try await waitUntil("the server to forget it") { server.connectionCount == 0 }
        }
    }

    @Test("beyond serverMaxConnections new connections are closed on accept; room frees when one leaves")
    func maxConnections() async throws {
        try await Self.withServer(.init(host: "127.0.0.1", port: 0, maxConnections: 2)) { server, address, _ in
            let first = try await Self.raw(server)
            let second = try await Self.raw(server)
            try await waitUntil("two connections") { server.connectionCount == 2 }
            let third = try await Self.raw(server)
            try await waitUntil("the third connection to be refused") { !third.isActive }
            #expect(first.isActive && second.isActive)
            try await first.close()
            try await waitUntil("the first connection to be gone") { server.connectionCount == 1 }
            let client = RemotingClient(group: MultiThreadedEventLoopGroup.singleton, logger: quietLogger())
            #expect(try await client.invoke(address, Self.echoRequest()).code == 0)
            await client.shutdown()
            try await second.close()
        }
    }

    @Test("a peer that sends without reading stops being read; when it reads, every answer arrives in order")
    func unreadAnswersApplyBackPressure() async throws {
        try await Self.withServer(.init(host: "127.0.0.1", port: 0)) { server, _, _ in
            // Unknown-code requests are answered inline; 20,000 answers are far beyond the socket buffers.
            let count = 20_000
            let received = Atomic<Int>(0)
            let ordered = Atomic<Bool>(true)
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.autoRead, value: false)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RemotingCommandDecoder()))
                        try channel.pipeline.syncOperations.addHandler(CountingHandler { command in
                            let n = received.wrappingAdd(1, ordering: .relaxed).newValue
                            if command.opaque != Int32(n) || command.code != ResponseCode.requestCodeNotSupported.rawValue
                                || command.remark != " request type 7777 not supported" {
                                ordered.store(false, ordering: .relaxed)
                            }
                        })
                    }
                }
                .connect(host: "127.0.0.1", port: server.localPort!).get()
            var frames = ByteBuffer()
            for i in 1...count {
                var request = RemotingCommand.request(RequestCode(7777))
                request.opaque = Int32(i)
                RemotingFrameParser.encode(request, into: &frames)
            }
            // The write completes only if the server keeps draining its side or stops reading ours;
            // either way it must not buffer 20,000 answers for a peer that reads nothing.
            channel.writeAndFlush(frames, promise: nil)
            try await Task.sleep(for: .milliseconds(500))
            try await channel.setOption(.autoRead, value: true)
            channel.read()
            try await waitUntil(timeout: .seconds(30), "all answers") { received.load(ordering: .relaxed) == count }
            let inOrder = ordered.load(ordering: .relaxed)
            #expect(inOrder)
            try await channel.close()
        }
    }
}

private final class CountingHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = RemotingCommand
    let sink: @Sendable (RemotingCommand) -> Void
    init(_ sink: @escaping @Sendable (RemotingCommand) -> Void) { self.sink = sink }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) { sink(Self.unwrapInboundIn(data)) }
}
