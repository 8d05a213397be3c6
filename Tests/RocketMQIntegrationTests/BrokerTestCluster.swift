//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Foundation
import Logging
import NIOCore
import NIOPosix
import RocketMQBroker
import RocketMQCommon
import RocketMQCompression
import RocketMQNamesrv
import RocketMQRemoting
import RocketMQStore
import Synchronization
import Testing

/// A name server and a broker on 127.0.0.1 (ports 0) with a temporary store, plus a remoting client.
/// Use `BrokerTestCluster.with { cluster in … }` so it is shut down and its directory removed on every path.
final class BrokerTestCluster: Sendable {
    let namesrv: NamesrvController
    let namesrvAddr: String
    let directory: String
    let client: RemotingClient
    let logger: Logger
    private let state: Mutex<(broker: BrokerController, brokerAddr: String)>

    var broker: BrokerController { state.withLock { $0.broker } }
    var brokerAddr: String { state.withLock { $0.brokerAddr } }
    var brokerName: String { broker.config.brokerName }
    let configure: @Sendable (inout BrokerConfig) -> Void
    let makePlugins: @Sendable () -> [any BrokerPlugin]

    static let quietLogger = Logger(label: "broker-tests") { _ in SwiftLogNoOpLogHandler() }

    private init(namesrv: NamesrvController, namesrvAddr: String, directory: String, broker: BrokerController,
                 brokerAddr: String, configure: @escaping @Sendable (inout BrokerConfig) -> Void,
                 makePlugins: @escaping @Sendable () -> [any BrokerPlugin]) {
        self.namesrv = namesrv
        self.namesrvAddr = namesrvAddr
        self.directory = directory
        self.state = Mutex((broker, brokerAddr))
        self.configure = configure
        self.makePlugins = makePlugins
        self.logger = Self.quietLogger
        self.client = RemotingClient(group: MultiThreadedEventLoopGroup.singleton, logger: Self.quietLogger)
    }

    /// Starts a cluster, runs `body`, and always shuts down and removes the store directory.
    static func with(_ configure: @escaping @Sendable (inout BrokerConfig) -> Void = { _ in },
                     plugins: @escaping @Sendable () -> [any BrokerPlugin] = { [] },
                     _ body: (BrokerTestCluster) async throws -> Void) async throws {
        let cluster = try await start(configure, plugins: plugins)
        do {
            try await body(cluster)
        } catch {
            await cluster.shutdown()
            throw error
        }
        await cluster.shutdown()
    }

    static func start(_ configure: @escaping @Sendable (inout BrokerConfig) -> Void = { _ in },
                      plugins: @escaping @Sendable () -> [any BrokerPlugin] = { [] }) async throws -> BrokerTestCluster {
        let directory = try makeTemporaryDirectory()
        var nsConfig = NamesrvConfig()
        nsConfig.listenPort = 0
        nsConfig.bindAddress = "127.0.0.1"
        nsConfig.kvConfigPath = directory + "/namesrv/kvConfig.json"
        nsConfig.configStorePath = directory + "/namesrv/namesrv.properties"
        let namesrv = try NamesrvController(config: nsConfig, logger: quietLogger,
                                            decompress: { try ZlibCompressor().decompress($0) })
        let nsPort = try await namesrv.start()
        let namesrvAddr = "127.0.0.1:\(nsPort)"
        let (broker, port): (BrokerController, Int)
        do {
            (broker, port) = try await startBroker(directory: directory, namesrvAddr: namesrvAddr, configure: configure,
                                                   plugins: plugins())
        } catch {
            await namesrv.shutdown()
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        return BrokerTestCluster(namesrv: namesrv, namesrvAddr: namesrvAddr, directory: directory, broker: broker,
                                 brokerAddr: "127.0.0.1:\(port)", configure: configure, makePlugins: plugins)
    }

    /// The configuration every test broker starts from: small files, local addresses, the given store root.
    static func baseConfig(directory: String, namesrvAddr: String) -> BrokerConfig {
        var c = BrokerConfig()
        c.listenPort = 0
        c.bindAddress = "127.0.0.1"
        c.brokerIP1 = "127.0.0.1"
        c.brokerIP2 = "127.0.0.1"
        c.brokerName = "broker-test"
        c.namesrvAddr = namesrvAddr
        c.rocketmqHome = directory
        c.store = MessageStoreConfig(storePathRootDir: directory + "/store")
        c.store.mappedFileSizeCommitLog = 4 * 1024 * 1024
        c.store.mappedFileSizeConsumeQueue = 1000 * 20
        c.store.maxHashSlotNum = 1000
        c.store.maxIndexNum = 4000
        c.store.flushIntervalCommitLog = 100
        c.store.flushIntervalConsumeQueue = 100
        return c
    }

    private static func startBroker(directory: String, namesrvAddr: String,
                                    configure: (inout BrokerConfig) -> Void,
                                    plugins: [any BrokerPlugin]) async throws -> (BrokerController, Int) {
        var c = baseConfig(directory: directory, namesrvAddr: namesrvAddr)
        configure(&c)
        let broker = try BrokerController(config: c, plugins: plugins, logger: quietLogger)
        let port = try await broker.start()
        return (broker, port)
    }

    /// Shuts the broker down and starts a new one on the same store directory (a new port).
    func restartBroker() async throws {
        await broker.shutdown()
        await client.closeChannel(brokerAddr)
        let (b, port) = try await Self.startBroker(directory: directory, namesrvAddr: namesrvAddr, configure: configure,
                                                   plugins: makePlugins())
        state.withLock { $0 = (b, "127.0.0.1:\(port)") }
    }

    func shutdown() async {
        await client.shutdown()
        await broker.shutdown()
        await namesrv.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func makeTemporaryDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/rmq-btest-XXXXXX").utf8CString)
        guard let p = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
        return String(cString: p)
    }

    /// A client with its own connection (and optionally its own processor table for broker callbacks).
    func makeClient(processors: ProcessorTable = ProcessorTable()) -> RemotingClient {
        RemotingClient(group: MultiThreadedEventLoopGroup.singleton, processors: processors, logger: logger)
    }

    // MARK: - Requests

    /// Requests that store messages: after a successful one, `invoke` waits until the store has dispatched it.
    static let storingCodes: Set<Int32> = [10, 310, 320, 36, 37]

    /// Sends any request to the broker. Consume queues and indexes are built asynchronously after a send is
    /// answered (as upstream); unless `awaitDispatch` is false, a successful storing request returns only
    /// once the broker has dispatched everything, so tests can read their writes.
    func invoke(_ request: RemotingCommand, via client: RemotingClient? = nil, timeoutMillis: Int64 = 5000,
                awaitDispatch: Bool = true) async throws -> RemotingCommand {
        let response = try await (client ?? self.client).invoke(brokerAddr, request, timeoutMillis: timeoutMillis)
        if awaitDispatch && response.code == 0 && Self.storingCodes.contains(request.code) {
            await waitForDispatch()
        }
        return response
    }

    /// Waits (up to 5 s) until the store's dispatcher has caught up with the commit log.
    func waitForDispatch() async {
        let store = broker.store
        _ = await eventually(within: .seconds(5), every: .milliseconds(1)) { store.dispatchBehindBytes <= 0 }
    }

    /// Builds the properties string a producer would send.
    static func properties(tags: String? = nil, keys: String? = nil, user: [String: String] = [:],
                           uniqueKey: Bool = true, wait: Bool = true) -> String {
        var p = user
        if let tags { p[MessageConst.tags] = tags }
        if let keys { p[MessageConst.keys] = keys }
        if uniqueKey { p[MessageConst.uniqueClientMessageIDKeyIndex] = MessageClientIDSetter.shared.createUniqueID() }
        if wait { p[MessageConst.waitStoreMsgOK] = "true" }
        return MessageProperties.encode(p)
    }

    static func sendHeader(topic: String, queueID: Int32 = 0, properties: String?, group: String = "PG_TEST",
                           sysFlag: Int32 = 0, defaultTopicQueueNums: Int32 = 4, batch: Bool = false,
                           reconsumeTimes: Int32? = 0, maxReconsumeTimes: Int32? = nil) -> SendMessageRequestHeader {
        SendMessageRequestHeader(producerGroup: group, topic: topic, defaultTopicQueueNums: defaultTopicQueueNums,
                                 queueID: queueID, sysFlag: sysFlag, bornTimestamp: Clock.millis(), flag: 0,
                                 properties: properties, reconsumeTimes: reconsumeTimes, batch: batch,
                                 maxReconsumeTimes: maxReconsumeTimes)
    }

    /// SEND_MESSAGE_V2 (or 10 with the V1 header) of one message; returns the raw response.
    func send(topic: String, body: String, queueID: Int32 = 0, tags: String? = nil, keys: String? = nil,
              user: [String: String] = [:], code: RequestCode = .sendMessageV2, sysFlag: Int32 = 0,
              defaultTopicQueueNums: Int32 = 4, bodyBytes: [UInt8]? = nil, group: String = "PG_TEST",
              via client: RemotingClient? = nil, awaitDispatch: Bool = true) async throws -> RemotingCommand {
        let header = Self.sendHeader(topic: topic, queueID: queueID,
                                     properties: Self.properties(tags: tags, keys: keys, user: user), group: group,
                                     sysFlag: sysFlag, defaultTopicQueueNums: defaultTopicQueueNums)
        let payload = ByteBuffer(bytes: bodyBytes ?? Array(body.utf8))
        let request: RemotingCommand = code == .sendMessage
            ? .request(code, header: header, body: payload)
            : .request(code, header: SendMessageRequestHeaderV2(header), body: payload)
        return try await invoke(request, via: client, awaitDispatch: awaitDispatch)
    }

    /// Sends and requires success; returns the decoded response header.
    @discardableResult
    func sendOK(topic: String, body: String, queueID: Int32 = 0, tags: String? = nil, keys: String? = nil,
                user: [String: String] = [:], sysFlag: Int32 = 0, via client: RemotingClient? = nil)
        async throws -> SendMessageResponseHeader
    {
        let r = try await send(topic: topic, body: body, queueID: queueID, tags: tags, keys: keys, user: user,
                               sysFlag: sysFlag, via: client)
        guard r.code == ResponseCode.success.rawValue else {
            throw TestFailure("send to \(topic) failed: \(r.code) \(r.remark ?? "")")
        }
        return try r.decodeHeader(SendMessageResponseHeader.self)
    }

    /// Encodes a batch body (PROTOCOL.md §6.5).
    static func batchBody(_ messages: [(body: String, properties: String)]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for m in messages {
            let body = Array(m.body.utf8)
            let props = Array(m.properties.utf8)
            buffer.writeInteger(Int32(20 + body.count + 2 + props.count))
            buffer.writeInteger(Int32(0))  // magic
            buffer.writeInteger(Int32(0))  // body crc
            buffer.writeInteger(Int32(0))  // flag
            buffer.writeInteger(Int32(body.count))
            buffer.writeBytes(body)
            buffer.writeInteger(Int16(props.count))
            buffer.writeBytes(props)
        }
        return buffer
    }

    struct PullResult {
        let response: RemotingCommand
        let header: PullMessageResponseHeader?
        let messages: [MessageExt]
        var code: Int32 { response.code }
    }

    /// PULL_MESSAGE with the subscription in the header by default; decodes the body.
    func pull(topic: String, queueID: Int32 = 0, offset: Int64 = 0, group: String = "CG_TEST",
              subscription: String? = "*", expressionType: String? = nil, sysFlag: Int32 = PullSysFlag.subscription,
              maxMsgNums: Int32 = 32, suspendTimeoutMillis: Int64 = 0, commitOffset: Int64 = 0, subVersion: Int64 = 0,
              code: RequestCode = .pullMessage, via client: RemotingClient? = nil, timeoutMillis: Int64 = 5000)
        async throws -> PullResult
    {
        let header = PullMessageRequestHeader(
            consumerGroup: group, topic: topic, queueID: queueID, queueOffset: offset, maxMsgNums: maxMsgNums,
            sysFlag: sysFlag, commitOffset: commitOffset, suspendTimeoutMillis: suspendTimeoutMillis,
            subscription: subscription, subVersion: subVersion, expressionType: expressionType)
        let r = try await invoke(.request(code, header: header), via: client, timeoutMillis: timeoutMillis)
        let h = try? r.decodeHeader(PullMessageResponseHeader.self)
        var messages: [MessageExt] = []
        if r.code == ResponseCode.success.rawValue, let body = r.body { messages = try MessageDecoder.decodeAll(body) }
        return PullResult(response: r, header: h, messages: messages)
    }

    /// All messages currently in a queue (pulled from `offset`, without a consumer group's registration).
    func pullAll(topic: String, queueID: Int32 = 0, offset: Int64 = 0) async throws -> [MessageExt] {
        var all: [MessageExt] = []
        var next = offset
        while true {
            let r = try await pull(topic: topic, queueID: queueID, offset: next, group: "CG_INSPECT")
            guard r.code == ResponseCode.success.rawValue, let h = r.header else { return all }
            all += r.messages
            next = h.nextBeginOffset
        }
    }

    /// Registers consumer groups / producer groups via HEART_BEAT.
    @discardableResult
    func heartbeat(clientID: String, consumers: [ConsumerData] = [], producers: [String] = [],
                   via client: RemotingClient? = nil) async throws -> RemotingCommand {
        let data = HeartbeatData(clientID: clientID, producerDataSet: producers.map(ProducerData.init),
                                 consumerDataSet: consumers)
        return try await invoke(.request(.heartBeat, body: data.encodedBody()), via: client)
    }

    static func consumer(_ group: String, topic: String, subString: String = "*",
                         type: String = ExpressionType.tag) -> ConsumerData {
        let sub = ExpressionType.isTagType(type)
            ? SubscriptionData.build(topic: topic, subString: subString)
            : SubscriptionData(topic: topic, subString: subString, expressionType: type)
        return ConsumerData(groupName: group, consumeType: .consumePassively, messageModel: .clustering,
                            consumeFromWhere: .consumeFromFirstOffset, subscriptionDataSet: [sub])
    }

    func createTopic(_ topic: String, queues: Int32 = 4, perm: Int32 = 6) async throws {
        let r = try await invoke(.request(.updateAndCreateTopic, header: CreateTopicRequestHeader(
            topic: topic, defaultTopic: "TBW102", readQueueNums: queues, writeQueueNums: queues, perm: perm)))
        guard r.code == 0 else { throw TestFailure("create topic \(topic): \(r.code) \(r.remark ?? "")") }
    }

    func createGroup(_ config: SubscriptionGroupConfig) async throws {
        let r = try await invoke(.request(.updateAndCreateSubscriptionGroup, body: config.encodedBody()))
        guard r.code == 0 else { throw TestFailure("create group \(config.groupName): \(r.code) \(r.remark ?? "")") }
    }

    func queryConsumerOffset(group: String, topic: String, queueID: Int32 = 0) async throws -> RemotingCommand {
        try await invoke(.request(.queryConsumerOffset,
                                  header: QueryConsumerOffsetRequestHeader(consumerGroup: group, topic: topic, queueID: queueID)))
    }

    func offset(_ code: RequestCode, topic: String, queueID: Int32 = 0) async throws -> Int64 {
        let r: RemotingCommand
        switch code {
        case .getMaxOffset: r = try await invoke(.request(code, header: GetMaxOffsetRequestHeader(topic: topic, queueID: queueID)))
        default: r = try await invoke(.request(code, header: GetMinOffsetRequestHeader(topic: topic, queueID: queueID)))
        }
        return try r.decodeHeader(OffsetResponseHeader.self).offset
    }
}

/// A test-helper failure with a message.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(within timeout: Duration = .seconds(5), every interval: Duration = .milliseconds(20),
                _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: interval)
    }
}

/// A unique name for a topic or group, so tests never see each other's data.
func uniqueName(_ prefix: String) -> String {
    "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
}

extension RemotingCommand {
    var bodyString: String { String(decoding: bodyBytes, as: UTF8.self) }

    /// The body decoded as stored messages (empty without a body).
    func decodedMessages() throws -> [MessageExt] {
        guard let body else { return [] }
        return try MessageDecoder.decodeAll(body)
    }
}
