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

/// Adds a field on the way out (what the ACL signer does).
private struct StampingHook: RPCHook {
    func doBeforeRequest(remoteAddress: String, request: inout RemotingCommand) throws {
        request.extFields["Stamp"] = "client:" + remoteAddress
    }
}

private struct Refusal: ResponseCodeConvertible {
    var responseCode: ResponseCode { .systemError }
    var remark: String? { "refused by hook" }
}

/// Lets through only requests carrying the client's stamp.
private final class GateHook: RPCHook {
    let seen = Mutex<[String]>([])
    func doBeforeRequest(remoteAddress: String, request: inout RemotingCommand) throws {
        seen.withLock { $0.append(remoteAddress) }
        guard request.extFields["Stamp"] != nil else { throw Refusal() }
    }
}

@Suite("RPC hooks on client and server")
struct RPCHookTests {
    @Test func serverHookAnswersForTheProcessorAndClientHookStampsRequests() async throws {
        let processed = Atomic<Int>(0)
        var table = ProcessorTable()
        try table.register(ClosureProcessor { request, _ in
            processed.wrappingAdd(1, ordering: .relaxed)
            return .response(remark: request.extFields["Stamp"])
        }, for: RequestCode(1100), lane: ExecutionLane(name: "t", capacity: 10))
        let gate = GateHook()
        let server = RemotingServer(configuration: .init(host: "127.0.0.1", port: 0), processors: table,
                                    group: MultiThreadedEventLoopGroup.singleton, logger: quietLogger(), rpcHook: gate)
        let port = try await server.start()
        let address = "127.0.0.1:\(port)"
        let plain = RemotingClient(group: MultiThreadedEventLoopGroup.singleton, logger: quietLogger())
        let stamping = RemotingClient(group: MultiThreadedEventLoopGroup.singleton, logger: quietLogger(),
                                      rpcHook: StampingHook())

        let refused = try await plain.invoke(address, RemotingCommand(code: 1100))
        #expect(refused.responseCode == .systemError)
        #expect(refused.remark == "refused by hook")
        #expect(processed.load(ordering: .relaxed) == 0)
        // A refused one-way request is dropped without an answer; the connection stays usable.
        try await plain.invokeOneway(address, RemotingCommand(code: 1100))

        let allowed = try await stamping.invoke(address, RemotingCommand(code: 1100))
        #expect(allowed.responseCode == .success)
        #expect(allowed.remark == "client:" + address)
        #expect(processed.load(ordering: .relaxed) == 1)
        // The one-way request's task may still be running; it was checked by the hook too.
        let deadline = ContinuousClock.now + .seconds(5)
        while gate.seen.withLock({ $0.count }) < 3 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(gate.seen.withLock { $0.count } == 3)
        #expect(processed.load(ordering: .relaxed) == 1)
        #expect(gate.seen.withLock { $0.allSatisfy { $0.hasPrefix("127.0.0.1:") } })

        await plain.shutdown()
        await stamping.shutdown()
        await server.shutdown()
    }
}
