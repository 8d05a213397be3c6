//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import RocketMQBroker
import RocketMQCommon
import RocketMQCompression
import RocketMQFilter
import RocketMQRemoting
import RocketMQStore
import ServiceLifecycle
import Synchronization
import Testing

/// What the test plugins saw, in order.
final class PluginEvents: Sendable {
    private let events = Mutex<[String]>([])
    func add(_ e: String) { events.withLock { $0.append(e) } }
    var all: [String] { events.withLock { $0 } }
    func count(_ prefix: String) -> Int { all.filter { $0.hasPrefix(prefix) }.count }
}

/// A plugin using every contribution point of `BrokerExtensions`.
struct RecordingPlugin: BrokerPlugin {
    let name: String
    let events: PluginEvents
    var processorCode: RequestCode? = nil

    struct Hook: PutMessageHook {
        let events: PluginEvents
        var hookName: String { "recording" }
        func executeBeforePutMessage(_ message: inout MessageExtBrokerInner) -> PutMessageResult? {
            guard message.topic == "PluginTopic" else { return nil }
            if message.properties["refuse"] == "yes" {
                return PutMessageResult(status: .messageIllegal, remark: "refused by the test plugin")
            }
            var p = message.properties
            p["X-PLUGIN"] = "seen"
            message.propertiesString = MessageProperties.encode(p)
            events.add("put:\(message.topic)")
            return nil
        }
    }

    struct PullHook: PullMessageHook {
        let events: PluginEvents
        var hookName: String { "recording" }
        func pulled(_ context: inout PullHookContext) {
            if context.topic == "PluginTopic" { events.add("pull:\(context.messageCount)") }
        }
    }

    struct Dispatcher: CommitLogDispatcher {
        let events: PluginEvents
        func dispatch(_ request: DispatchRequest) {
            if request.topic == "PluginTopic" { events.add("dispatch:\(request.consumeQueueOffset)") }
        }
    }

    struct Processor: RequestProcessor {
        let events: PluginEvents
        func processRequest(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand? {
            events.add("request:\(request.code)")
            return .response(remark: "plugin says hi")
        }
    }

    /// Expression type `NONE`: delivers nothing.
    struct NoneFactory: MessageFilterFactory {
        let expressionType = "NONE"
        struct Filter: CompiledFilter {
            func matches(tagsCode: Int64?) -> Bool { false }
            var needsProperties: Bool { false }
            func matches(properties: [String: String]) -> Bool { false }
        }
        func compile(_ expression: String) throws(FilterError) -> any CompiledFilter { Filter() }
    }

    /// A stand-in codec under the zstd type value, to show the compressor contribution point.
    struct IdentityCodec: Compressor {
        let type = CompressionType.zstd
        let maxDecompressedSize = 1 << 20
        func compress(_ src: UnsafeRawBufferPointer, level: Int) throws(CompressionError) -> [UInt8] { Array(src) }
        func decompress(_ src: UnsafeRawBufferPointer) throws(CompressionError) -> [UInt8] { Array(src) }
    }

    struct Ticker: Service {
        let events: PluginEvents
        func run() async throws {
            events.add("service:running")
            while !Task.isCancelled { try? await Task.sleep(nanoseconds: 20_000_000) }
            events.add("service:stopped")
        }
    }

    func load(into extensions: inout BrokerExtensions, context: BrokerPluginContext) throws {
        events.add("load:\(name)")
        extensions.putMessageHooks.append(Hook(events: events))
        extensions.pullMessageHooks.append(PullHook(events: events))
        extensions.dispatchers.append(Dispatcher(events: events))
        if let processorCode { extensions.registerProcessor(Processor(events: events), for: processorCode) }
        extensions.filterFactories.append(NoneFactory())
        extensions.compressors.register(IdentityCodec())
        extensions.services.append(Ticker(events: events))
    }

    func start() async throws { events.add("start:\(name)") }
    func shutdown() async { events.add("shutdown:\(name)") }
    func collectRuntimeInfo(into info: inout [String: String]) { info["recording.\(name)"] = "ok" }
}

/// A plugin that only adds a request processor (for ordering and duplicate checks).
struct LifecyclePlugin: BrokerPlugin {
    let name: String
    let events: PluginEvents
    var processorCode: RequestCode? = nil
    func load(into extensions: inout BrokerExtensions, context: BrokerPluginContext) throws {
        events.add("load:\(name)")
        if let processorCode { extensions.registerProcessor(RecordingPlugin.Processor(events: events), for: processorCode) }
    }
    func start() async throws { events.add("start:\(name)") }
    func shutdown() async { events.add("shutdown:\(name)") }
}

@Suite("Broker plugins: every contribution point")
struct PluginContributionTests {
    @Test(.timeLimit(.minutes(1)))
    func eachContributionPointWorks() async throws {
        let events = PluginEvents()
        try await BrokerTestCluster.with({ _ in }, plugins: {
            [RecordingPlugin(name: "recording", events: events, processorCode: RequestCode(9999))]
        }) { cluster in
            // Put hook rewrites, and can refuse with its own result.
            try await cluster.sendOK(topic: "PluginTopic", body: "hello")
            let refused = try await cluster.send(topic: "PluginTopic", body: "no", user: ["refuse": "yes"])
            #expect(refused.code == ResponseCode.messageIllegal.rawValue)
            #expect(refused.remark == "refused by the test plugin")
            let pulled = try await cluster.pullAll(topic: "PluginTopic")
            #expect(pulled.map(\.bodyString) == ["hello"])
            #expect(pulled.first?.properties["X-PLUGIN"] == "seen")
            // Dispatcher saw the stored message; pull hook saw the pull.
            #expect(events.all.contains("dispatch:0"))
            #expect(events.count("pull:") >= 1)
            // Processor answers its own request code.
            let hi = try await cluster.invoke(RemotingCommand(code: 9999))
            #expect(hi.code == 0 && hi.remark == "plugin says hi")
            // Filter factory: a NONE subscription matches nothing; TAG still works.
            #expect(cluster.broker.filterRegistry.factory(for: "NONE") != nil)
            let none = try await cluster.pull(topic: "PluginTopic", subscription: "x", expressionType: "NONE")
            #expect(none.code == ResponseCode.pullRetryImmediately.rawValue)
            // Compressor registered under its type value.
            #expect(cluster.broker.compressor(forType: CompressionType.zstd.rawValue) != nil)
            // Service runs; runtime info collected.
            let deadline = Clock.millis() + 5000
            while !events.all.contains("service:running") && Clock.millis() < deadline {
                try await Task.sleep(nanoseconds: 10_000_000)
            }
            #expect(events.all.contains("service:running"))
            #expect(cluster.broker.runtimeInfo()["recording.recording"] == "ok")
        }
        #expect(events.all.contains("service:stopped"))
        #expect(events.all.contains("shutdown:recording"))
    }

    @Test(.timeLimit(.minutes(1)))
    func loadAndStartInOrderShutdownInReverse() async throws {
        let events = PluginEvents()
        try await BrokerTestCluster.with({ _ in }, plugins: {
            [LifecyclePlugin(name: "a", events: events), LifecyclePlugin(name: "b", events: events),
             LifecyclePlugin(name: "c", events: events)]
        }) { _ in }
        #expect(events.all == ["load:a", "load:b", "load:c", "start:a", "start:b", "start:c",
                               "shutdown:c", "shutdown:b", "shutdown:a"])
    }

    @Test(.timeLimit(.minutes(1)))
    func duplicateRequestCodeFailsStartLoudly() async throws {
        let events = PluginEvents()
        await #expect(throws: ProcessorTable.RegistrationError.self) {
            try await BrokerTestCluster.with({ _ in }, plugins: {
                [LifecyclePlugin(name: "steals-send", events: events, processorCode: .sendMessageV2)]
            }) { _ in }
        }
        await #expect(throws: ProcessorTable.RegistrationError.self) {
            try await BrokerTestCluster.with({ _ in }, plugins: {
                [LifecyclePlugin(name: "x", events: events, processorCode: RequestCode(9998)),
                 LifecyclePlugin(name: "y", events: events, processorCode: RequestCode(9998))]
            }) { _ in }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func duplicatePluginNameFails() async throws {
        let events = PluginEvents()
        await #expect(throws: BrokerError.self) {
            try await BrokerTestCluster.with({ _ in }, plugins: {
                [LifecyclePlugin(name: "same", events: events), LifecyclePlugin(name: "same", events: events)]
            }) { _ in }
        }
    }
}
