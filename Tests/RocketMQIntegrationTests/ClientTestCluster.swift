//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import RocketMQBroker
import RocketMQClient
import RocketMQCommon
import RocketMQCompression
import RocketMQCompressionPlugin
import RocketMQDelayLevelPlugin
import RocketMQNamesrv
import RocketMQRemoting
import RocketMQStore
import Synchronization

/// A name server and one broker in this process on 127.0.0.1, ephemeral ports, temp folders; clients
/// get short intervals so rebalance, heartbeats and offset persistence happen within a second.
final class ClientTestCluster: Sendable {
    let root: String
    let namesrv: NamesrvController
    let namesrvAddr: String
    private let brokerBox: Mutex<BrokerController?>
    private let brokerConfigBox: Mutex<BrokerConfig>
    private let counter = Atomic<Int>(0)
    let logger: Logger

    var broker: BrokerController { brokerBox.withLock { $0! } }
    var brokerConfig: BrokerConfig { brokerConfigBox.withLock { $0 } }
    var brokerAddr: String { brokerConfig.brokerAddr }
    var brokerName: String { brokerConfig.brokerName }

    static func makeLogger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = .error
        return logger
    }

    /// Starts the name server and a broker; `configure` adjusts the broker's settings first.
    static func start(_ name: String = #function, configure: (inout BrokerConfig) -> Void = { _ in }) async throws
        -> ClientTestCluster
    {
        var template = Array("/tmp/rmq-client-it-XXXXXX".utf8CString)
        let root = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        let logger = makeLogger("it-\(name)")
        var nsConfig = NamesrvConfig()
        nsConfig.listenPort = 0
        nsConfig.bindAddress = "127.0.0.1"
        nsConfig.kvConfigPath = root + "/namesrv/kvConfig.json"
        let namesrv = try NamesrvController(config: nsConfig, logger: logger,
                                            decompress: { try ZlibCompressor().decompress($0) })
        let nsPort = try await namesrv.start()
        var config = BrokerConfig()
        config.listenPort = 0
        config.bindAddress = "127.0.0.1"
        config.brokerIP1 = "127.0.0.1"
        config.brokerIP2 = "127.0.0.1"
        config.brokerName = "broker-it"
        config.namesrvAddr = "127.0.0.1:\(nsPort)"
        config.store = MessageStoreConfig(storePathRootDir: root + "/store")
        config.store.mappedFileSizeCommitLog = 4 * 1024 * 1024
        config.store.maxHashSlotNum = 1000
        config.store.maxIndexNum = 4000
        config.store.messageDelayLevel = Array(repeating: "1s", count: 18).joined(separator: " ")
        config.shortPollingTimeMills = 200
        configure(&config)
        let cluster = ClientTestCluster(root: root, namesrv: namesrv, namesrvAddr: "127.0.0.1:\(nsPort)",
                                        brokerConfig: config, logger: logger)
        do { try await cluster.startBroker() } catch {
            await namesrv.shutdown()
            throw error
        }
        return cluster
    }

    private init(root: String, namesrv: NamesrvController, namesrvAddr: String, brokerConfig: BrokerConfig,
                 logger: Logger) {
        self.root = root
        self.namesrv = namesrv
        self.namesrvAddr = namesrvAddr
        self.brokerBox = Mutex(nil)
        self.brokerConfigBox = Mutex(brokerConfig)
        self.logger = logger
    }

    /// Starts a broker on the saved configuration; after the first start it keeps the same port.
    func startBroker() async throws {
        let config = brokerConfig
        let broker = try BrokerController(config: config, plugins: [CompressionPlugin(), DelayLevelPlugin()],
                                          logger: logger)
        let port = try await broker.start()
        brokerConfigBox.withLock { $0.listenPort = port }
        brokerBox.withLock { $0 = broker }
    }

    /// Stops the broker and starts a new one on the same store and port.
    func restartBroker() async throws {
        await broker.shutdown()
        try await startBroker()
    }

    func shutdown() async {
        if let broker = brokerBox.withLock({ $0 }) { await broker.shutdown() }
        await namesrv.shutdown()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A unique name for topics, groups and instance names.
    func unique(_ prefix: String) -> String { "\(prefix)_\(counter.add(1, ordering: .relaxed).newValue)" }

    /// Client settings with short intervals and a private instance name (one client id per call).
    func clientConfig(instance: String? = nil) -> ClientConfig {
        var config = ClientConfig(namesrvAddr: namesrvAddr, clientIP: "127.0.0.1",
                                  instanceName: instance ?? unique("inst"))
        config.pollNameServerInterval = .milliseconds(500)
        config.heartbeatBrokerInterval = .milliseconds(500)
        config.persistConsumerOffsetInterval = .milliseconds(300)
        config.rebalanceInterval = .milliseconds(500)
        config.pullTimeDelayWhenException = .milliseconds(200)
        config.localOffsetStoreDir = root + "/offsets"
        return config
    }

    func producer(_ group: String? = nil) -> DefaultMQProducer {
        DefaultMQProducer(producerGroup: group ?? unique("pg"), clientConfig: clientConfig(),
                          logger: Self.makeLogger("producer"))
    }

    func startedProducer(_ group: String? = nil) async throws -> DefaultMQProducer {
        let p = producer(group)
        try await p.start()
        return p
    }

    func pushConsumer(_ group: String, instance: String? = nil) -> DefaultMQPushConsumer {
        let consumer = DefaultMQPushConsumer(consumerGroup: group, clientConfig: clientConfig(instance: instance),
                                             logger: Self.makeLogger("consumer"))
        consumer.consumeFromWhere = .consumeFromFirstOffset
        return consumer
    }

    /// Creates a topic with `queues` queues on the broker and waits until the name server routes it.
    func createTopic(_ topic: String, queues: Int32 = 4) async throws {
        let admin = MQAdmin(clientConfig: clientConfig(), logger: Self.makeLogger("admin"))
        try await admin.start()
        do {
            try await admin.createTopic(brokerAddr: brokerAddr, config: TopicConfig(
                topicName: topic, readQueueNums: queues, writeQueueNums: queues, perm: PermName.read | PermName.write))
        } catch {
            await admin.shutdown()
            throw error
        }
        let routed = await clientEventually(.seconds(10)) {
            ((try? await admin.topicRoute(topic))?.queueDatas.first?.writeQueueNums ?? 0) == queues
        }
        await admin.shutdown()
        if !routed { throw ClientError.noRouteInfo(topic) }
    }
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held.
func clientEventually(_ timeout: Duration = .seconds(20), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(50))
    }
}

/// Thread-safe collection of received messages for listeners.
final class ClientReceived: Sendable {
    private let box = Mutex<[MessageExt]>([])

    func add(_ messages: [MessageExt]) { box.withLock { $0.append(contentsOf: messages) } }
    var all: [MessageExt] { box.withLock { $0 } }
    var count: Int { box.withLock { $0.count } }
    var bodies: Set<String> { Set(all.map(\.bodyString)) }
    var distinctIDs: Set<String> { Set(all.map(\.msgID)) }
}
