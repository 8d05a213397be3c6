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

private enum Code {
    static let echo = RequestCode(1000)
    static let oneway = RequestCode(1001)
    static let gated = RequestCode(1002)
    static let refuse = RequestCode(1003)
    static let fail = RequestCode(1004)
    static let rejecting = RequestCode(1005)
}

private struct Boom: Error, CustomStringConvertible {
    var description: String { "kaboom in the processor" }
}

/// A processor that always refuses through `rejectsRequest`.
private struct RejectingProcessor: RequestProcessor {
    func processRequest(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand? {
        .response()
    }
    func rejectsRequest(_ request: RemotingCommand) -> Bool { true }
}

/// Processors and what they saw.
private final class Fixture: Sendable {
    let arrivals = Mutex<[String]>([])
    let completions = Mutex<[String]>([])
    let oneways = Mutex<[RemotingCommand]>([])
    let gateEntered = Atomic<Int>(0)
    let gate = Latch()
    let gatedLane = ExecutionLane(name: "gated", capacity: 1)

    func table() throws -> ProcessorTable {
        var table = ProcessorTable()
        let lane = ExecutionLane(name: "default", capacity: 1000)
        try table.register(ClosureProcessor { [self] request, _ in
            let id = request.extFields["i"] ?? ""
            self.arrivals.withLock { $0.append(id) }
            if let maxMillis = request.extFields["sleep"].flatMap(Int.init), maxMillis > 0 {
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...maxMillis)))
            }
            self.completions.withLock { $0.append(id) }
            var response = RemotingCommand.response(remark: "echo \(id)", body: request.body)
            response.extFields = ["i": id]
            return response
        }, for: Code.echo, lane: lane)
        try table.register(ClosureProcessor { [self] request, _ in
            self.oneways.withLock { $0.append(request) }
            return .response(remark: "must never be sent for a one-way request")
        }, for: Code.oneway, lane: lane)
        try table.register(ClosureProcessor { [self] _, _ in
            self.gateEntered.wrappingAdd(1, ordering: .relaxed)
            await self.gate.wait()
            return .response(remark: "gate passed")
        }, for: Code.gated, lane: gatedLane)
        try table.register(ClosureProcessor { _, _ in
            throw RemotingRefusal(.topicNotExist, "topic X does not exist")
        }, for: Code.refuse, lane: lane)
        try table.register(ClosureProcessor { _, _ in throw Boom() }, for: Code.fail, lane: lane)
        try table.register(RejectingProcessor(), for: Code.rejecting, lane: lane)
        return table
    }
}

private func echo(_ id: String, sleep: Int = 0, type: SerializeType = .json) -> RemotingCommand {
    var c = RemotingCommand.request(Code.echo)
    c.extFields = ["i": id, "sleep": String(sleep)]
    c.serializeType = type
    return c
}

/// Starts a server on 127.0.0.1:0 with the fixture's processors and a client, runs `body`, shuts both down.
private func withServer(_ fixture: Fixture, _ body: (RemotingServer, String, RemotingClient) async throws -> Void)
    async throws
{
    let group = MultiThreadedEventLoopGroup.singleton
    let server = RemotingServer(configuration: .init(host: "127.0.0.1", port: 0), processors: try fixture.table(),
                                group: group, logger: quietLogger())
    let port = try await server.start()
    let client = RemotingClient(group: group, logger: quietLogger())
    do {
        try await body(server, "127.0.0.1:\(port)", client)
    } catch {
        fixture.gate.open()
        await client.shutdown()
        await server.shutdown()
        throw error
    }
    fixture.gate.open()
    await client.shutdown()
    await server.shutdown()
}

/// A connection with only the codec and a collector of inbound commands (no correlation logic).
private final class RawConnection: Sendable {
    let channel: any Channel

    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = RemotingCommand
        let sink: @Sendable (RemotingCommand) -> Void
        init(_ sink: @escaping @Sendable (RemotingCommand) -> Void) { self.sink = sink }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { sink(Self.unwrapInboundIn(data)) }
    }

    init(port: Int, codec: Bool = true) async throws {
        let box = ReceivedBox()
        self.channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                guard codec else { return channel.eventLoop.makeSucceededVoidFuture() }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RemotingCommandDecoder()))
                    try channel.pipeline.syncOperations.addHandler(RemotingCommandEncoder())
                    try channel.pipeline.syncOperations.addHandler(Collector { box.append($0) })
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        self.box = box
    }
    let box: ReceivedBox

    final class ReceivedBox: Sendable {
        let items = Mutex<[RemotingCommand]>([])
        func append(_ c: RemotingCommand) { items.withLock { $0.append(c) } }
    }

    var commands: [RemotingCommand] { box.items.withLock { $0 } }
}

@Suite("RemotingServer and RemotingClient over TCP", .timeLimit(.minutes(1)))
struct RemotingServerClientTests {
    @Test func concurrentRequestsAreMatchedByOpaqueEvenOutOfOrder() async throws {
        let fixture = Fixture()
        try await withServer(fixture) { _, address, client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<200 {
                    group.addTask {
                        var request = echo("req-\(n)", sleep: 15)
                        request.body = ByteBuffer(string: "body-\(n)")
                        let response = try await client.invoke(address, request, timeoutMillis: 10_000)
                        #expect(response.code == ResponseCode.success.rawValue)
                        #expect(response.isResponse)
                        #expect(response.extFields["i"] == "req-\(n)")
                        #expect(response.remark == "echo req-\(n)")
                        #expect(response.bodyBytes == Array("body-\(n)".utf8))
                    }
                }
                try await group.waitForAll()
            }
            let arrivals = fixture.arrivals.withLock { $0 }
            let completions = fixture.completions.withLock { $0 }
            #expect(arrivals.count == 200)
            #expect(Set(completions) == Set(arrivals))
            #expect(completions != arrivals, "processors must finish out of arrival order for this test to mean anything")
        }
    }

    @Test func onewayRequestReachesTheProcessorAndGetsNoResponse() async throws {
        let fixture = Fixture()
        try await withServer(fixture) { server, address, _ in
            let raw = try await RawConnection(port: server.localPort!)
            defer { raw.channel.close(promise: nil) }
            var oneway = RemotingCommand.request(Code.oneway)
            oneway.extFields = ["k": "v"]
            oneway.opaque = 500
            oneway.markOneway()
            try await raw.channel.writeAndFlush(oneway)
            try await waitUntil("the one-way request to be processed") {
                fixture.oneways.withLock { $0.count } == 1 && server.dispatcher.inFlightCount == 0
            }
            #expect(fixture.oneways.withLock { $0.first?.extFields } == ["k": "v"])
            #expect(fixture.oneways.withLock { $0.first?.isOneway } == true)
            // Anything the server wrote for the one-way request precedes the answer to this one on the stream.
            var ping = echo("ping")
            ping.opaque = 501
            try await raw.channel.writeAndFlush(ping)
            try await waitUntil("the ping response") { raw.commands.contains { $0.opaque == 501 } }
            #expect(raw.commands.map(\.opaque) == [501])
            _ = address
        }
    }

    @Test func onewayThroughTheClient() async throws {
        let fixture = Fixture()
        try await withServer(fixture) { _, address, client in
            var request = RemotingCommand.request(Code.oneway)
            request.extFields = ["n": "1"]
            try await client.invokeOneway(address, request)
            try await waitUntil("the one-way request") { fixture.oneways.withLock { $0.count } == 1 }
            #expect(fixture.oneways.withLock { $0[0].extFields["n"] } == "1")
        }
    }

    @Test func requestTimesOutWithAClearError() async throws {
        let fixture = Fixture()
        try await withServer(fixture) { _, address, client in
            let clock = ContinuousClock()
            let start = clock.now
            do {
                _ = try await client.invoke(address, RemotingCommand.request(Code.gated), timeoutMillis: 150)
                Issue.record("the gated request must time out")
            } catch let error as RemotingError {
                guard case .timeout(let addr, let code, let millis) = error else {
                    Issue.record("expected .timeout, got \(error)")
                    return
                }
                #expect(code == Code.gated.rawValue)
                #expect(millis == 150)
                #expect(addr.contains("127.0.0.1"))
                #expect(error.description.contains("timeout"))
                #expect(error.description.contains("150(ms)"))
                #expect(error.description.contains("1002"))
            }
            #expect(clock.now - start >= .milliseconds(140))
            // The late response is dropped and the connection keeps working.
            fixture.gate.open()
            let response = try await client.invoke(address, echo("after-timeout"))
            #expect(response.extFields["i"] == "after-timeout")
        }
    }

    @Test func unknownCodeIsAnsweredWithCode3AndTheConnectionStaysUsable() async throws {
        let fixture = Fixture()
        try await withServer(fixture) { _, address, client in
            let before = try await client.channel(for: address)
            let response = try await client.invoke(address, RemotingCommand(code: 4242))
            #expect(response.code == 3)
            #expect(response.remark == " request type 4242 not supported")
            let ok = try await client.invoke(address, echo("still-alive"))
            #expect(ok.code == 0)
            #expect(ok.extFields["i"] == "still-alive")
            let after = try await client.channel(for: address)
            #expect(ObjectIdentifier(before) == ObjectIdentifier(after))
            #expect(after.isActive)
        }
    }

    @Test(arguments: [SerializeType.json, .rocketmq])
    func responseUsesTheRequestsCodec(_ type: SerializeType) async throws {
        let fixture = Fixture()
        try await withServer(fixture) { _, address, client in
            let response = try await client.invoke(address, echo("codec-\(type.name)", type: type))
            #expect(response.serializeType == type)
            #expect(response.extFields["i"] == "codec-\(type.name)")
            #expect(response.remark == "echo codec-\(type.name)")
            let unknown = try await client.invoke(address, RemotingCommand(code: 4243, serializeType: type))
            #expect(unknown.serializeType == type)
            #expect(unknown.code == 3)
        }
    }

    @Test func laneAtCapacityAnswersSystemBusy() async throws {
        let fixture = Fixture()
        try await withServer(fixture) { _, address, client in
            let first = Task { try await client.invoke(address, RemotingCommand.request(Code.gated), timeoutMillis: 10_000) }
            try await waitUntil("the first gated request to run") { fixture.gateEntered.load(ordering: .relaxed) == 1 }
            #expect(fixture.gatedLane.load == 1)
            let busy = try await client.invoke(address, RemotingCommand.request(Code.gated))
            #expect(busy.code == ResponseCode.systemBusy.rawValue)
            #expect(busy.remark?.hasPrefix("[OVERLOAD]") == true)
            #expect(fixture.gateEntered.load(ordering: .relaxed) == 1, "a refused request must not run")
            // Other lanes are unaffected.
            #expect(try await client.invoke(address, echo("other-lane")).code == 0)
            fixture.gate.open()
            let passed = try await first.value
            #expect(passed.code == 0)
            #expect(passed.remark == "gate passed")
            try await waitUntil("the lane to drain") { fixture.gatedLane.load == 0 }
        }
    }

    @Test func rejectingProcessorAnswersSystemBusy() async throws {
        let fixture = Fixture()
        try await withServer(fixture) { _, address, client in
            let response = try await client.invoke(address, RemotingCommand.request(Code.rejecting))
            #expect(response.code == 2)
            #expect(response.remark?.hasPrefix("[REJECTREQUEST]") == true)
        }
    }

    @Test func refusalMapsToItsCodeAndOtherErrorsToSystemError() async throws {
        let fixture = Fixture()
        try await withServer(fixture) { _, address, client in
            let refused = try await client.invoke(address, RemotingCommand.request(Code.refuse))
            #expect(refused.code == ResponseCode.topicNotExist.rawValue)
            #expect(refused.code == 17)
            #expect(refused.remark == "topic X does not exist")
            let failed = try await client.invoke(address, RemotingCommand.request(Code.fail))
            #expect(failed.code == 1)
            #expect(failed.remark?.contains("kaboom in the processor") == true)
        }
    }

    @Test(arguments: [1 as UInt64, 2, 3])
    func garbageConnectionIsClosedWhileAnotherIsServed(seed: UInt64) async throws {
        let fixture = Fixture()
        try await withServer(fixture) { server, address, client in
            #expect(try await client.invoke(address, echo("before")).code == 0)
            let garbage = try await RawConnection(port: server.localPort!, codec: false)
            var rng = SplitMix64(seed: seed)
            var bytes = (0..<512).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // A first byte ≥ 0x02 makes the length word negative or above 16 MiB: always malformed.
            bytes[0] = UInt8.random(in: 0x02...0xFF, using: &rng)
            try await garbage.channel.writeAndFlush(ByteBuffer(bytes: bytes))
            try await waitUntil("the server to close the garbage connection") { !garbage.channel.isActive }
            for n in 0..<5 {
                let response = try await client.invoke(address, echo("after-\(n)"))
                #expect(response.extFields["i"] == "after-\(n)")
            }
        }
    }

    @Test func unparseableHeaderClosesOnlyThatConnection() async throws {
        let fixture = Fixture()
        try await withServer(fixture) { server, address, client in
            let bad = try await RawConnection(port: server.localPort!, codec: false)
            try await bad.channel.writeAndFlush(jsonFrame(#"{"code":"#))
            try await waitUntil("the server to close the connection") { !bad.channel.isActive }
            #expect(try await client.invoke(address, echo("ok")).code == 0)
        }
    }

    @Test func shutdownDrainsAnInFlightRequestBeforeClosing() async throws {
        let fixture = Fixture()
        let group = MultiThreadedEventLoopGroup.singleton
        let server = RemotingServer(configuration: .init(host: "127.0.0.1", port: 0, drainTimeout: .seconds(10)),
                                    processors: try fixture.table(), group: group, logger: quietLogger())
        let port = try await server.start()
        let address = "127.0.0.1:\(port)"
        let client = RemotingClient(group: group, logger: quietLogger())
        defer { fixture.gate.open() }
        let inFlight = Task { try await client.invoke(address, RemotingCommand.request(Code.gated), timeoutMillis: 20_000) }
        try await waitUntil("the request to be in flight") { fixture.gateEntered.load(ordering: .relaxed) == 1 }
        let shutdown = Task { await server.shutdown() }
        // Once the listener is gone, shutdown is draining: a buggy one would close the connection now.
        try await waitUntil("the listener to close") {
            do {
                let c = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get()
                try? await c.close()
                return false
            } catch {
                return true
            }
        }
        #expect(server.dispatcher.inFlightCount == 1)
        fixture.gate.open()
        let response = try await inFlight.value
        #expect(response.code == 0)
        #expect(response.remark == "gate passed")
        await shutdown.value
        // After shutdown the server connection is closed.
        try await waitUntil("the client connection to close") {
            do {
                _ = try await client.invoke(address, echo("late"), timeoutMillis: 500)
                return false
            } catch {
                return true
            }
        }
        await client.shutdown()
    }
}
