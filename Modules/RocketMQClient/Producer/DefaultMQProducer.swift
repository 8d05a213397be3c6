//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import RocketMQCompression
import RocketMQRemoting
import Synchronization

/// Sends messages (Java `DefaultMQProducer`).
///
/// Configure, `start()`, send, `shutdown()`. Settings live in a `Mutex` so the producer is `Sendable`
/// and can be shared between tasks; change them before `start()`.
public final class DefaultMQProducer: Sendable {
    struct Settings {
        var producerGroup: String
        var clientConfig: ClientConfig
        var sendMsgTimeoutMillis: Int64 = 3000
        var retryTimesWhenSendFailed = 2
        var retryAnotherBrokerWhenNotStoreOK = false
        var compressMsgBodyOverHowmuch = CompressionDefaults.compressMsgBodyOverHowmuch
        var compressionType = CompressionDefaults.compressType
        var compressLevel = CompressionDefaults.compressLevel
        var maxMessageSize = 4 * 1024 * 1024
        var defaultTopicQueueNums: Int32 = 4
        var createTopicKey = MixAll.autoCreateTopicKeyTopic
        var sendLatencyFaultEnable = false
        var enableMsgTrace = false
        var customizedTraceTopic: String?
    }

    struct Runtime {
        var instance: MQClientInstance?
        var started = false
        /// Set by ``TransactionMQProducer``: answers CHECK_TRANSACTION_STATE.
        var transactionCheck: (@Sendable (String, MessageExt, CheckTransactionStateRequestHeader) async -> Void)?
        /// Set while running with `enableMsgTrace`.
        var traceDispatcher: AsyncTraceDispatcher?
    }

    let settings: Mutex<Settings>
    let runtime = Mutex(Runtime())
    let faultStrategy = MQFaultStrategy()
    let compressors = CompressorRegistry.standard()
    let logger: Logger

    /// - Parameters:
    ///   - enableMsgTrace: send a trace record of every send to the trace topic (Java's constructor flag).
    ///   - customizedTraceTopic: the trace topic; `RMQ_SYS_TRACE_TOPIC` when nil.
    public init(producerGroup: String = MixAll.defaultProducerGroup, namesrvAddr: String? = nil,
                clientConfig: ClientConfig = ClientConfig(), enableMsgTrace: Bool = false,
                customizedTraceTopic: String? = nil, logger: Logger = Logger(label: "rocketmq.producer")) {
        var config = clientConfig
        if let namesrvAddr { config.namesrvAddr = namesrvAddr }
        var settings = Settings(producerGroup: producerGroup, clientConfig: config)
        settings.enableMsgTrace = enableMsgTrace
        settings.customizedTraceTopic = customizedTraceTopic
        self.settings = Mutex(settings)
        self.logger = logger
    }

    /// The instance's internal producer (group CLIENT_INNER_PRODUCER).
    init(innerGroupFor instance: MQClientInstance) {
        self.settings = Mutex(Settings(producerGroup: MixAll.clientInnerProducerGroup, clientConfig: instance.config))
        self.logger = instance.logger
        runtime.withLock { $0.instance = instance }
    }

    // MARK: Settings

    public var producerGroup: String {
        get { settings.withLock { $0.producerGroup } }
        set { settings.withLock { $0.producerGroup = newValue } }
    }
    public var namesrvAddr: String {
        get { settings.withLock { $0.clientConfig.namesrvAddr } }
        set { settings.withLock { $0.clientConfig.namesrvAddr = newValue } }
    }
    public var clientConfig: ClientConfig {
        get { settings.withLock { $0.clientConfig } }
        set { settings.withLock { $0.clientConfig = newValue } }
    }
    public var instanceName: String {
        get { settings.withLock { $0.clientConfig.instanceName } }
        set { settings.withLock { $0.clientConfig.instanceName = newValue } }
    }
    /// Timeout of one send including retries, in milliseconds (Java 3000).
    public var sendMsgTimeout: Int64 {
        get { settings.withLock { $0.sendMsgTimeoutMillis } }
        set { settings.withLock { $0.sendMsgTimeoutMillis = newValue } }
    }
    /// Extra attempts (on another broker) for synchronous sends (Java 2).
    public var retryTimesWhenSendFailed: Int {
        get { settings.withLock { $0.retryTimesWhenSendFailed } }
        set { settings.withLock { $0.retryTimesWhenSendFailed = newValue } }
    }
    public var retryAnotherBrokerWhenNotStoreOK: Bool {
        get { settings.withLock { $0.retryAnotherBrokerWhenNotStoreOK } }
        set { settings.withLock { $0.retryAnotherBrokerWhenNotStoreOK = newValue } }
    }
    /// Bodies larger than this are compressed (Java 4096).
    public var compressMsgBodyOverHowmuch: Int {
        get { settings.withLock { $0.compressMsgBodyOverHowmuch } }
        set { settings.withLock { $0.compressMsgBodyOverHowmuch = newValue } }
    }
    public var compressionType: CompressionType {
        get { settings.withLock { $0.compressionType } }
        set { settings.withLock { $0.compressionType = newValue } }
    }
    public var compressLevel: Int {
        get { settings.withLock { $0.compressLevel } }
        set { settings.withLock { $0.compressLevel = newValue } }
    }
    /// Largest body accepted (Java 4 MiB; keep ≤ the broker's `maxMessageSize`).
    public var maxMessageSize: Int {
        get { settings.withLock { $0.maxMessageSize } }
        set { settings.withLock { $0.maxMessageSize = newValue } }
    }
    public var defaultTopicQueueNums: Int32 {
        get { settings.withLock { $0.defaultTopicQueueNums } }
        set { settings.withLock { $0.defaultTopicQueueNums = newValue } }
    }
    /// Skip brokers that were slow or failing for a while (Java default false).
    public var sendLatencyFaultEnable: Bool {
        get { settings.withLock { $0.sendLatencyFaultEnable } }
        set { settings.withLock { $0.sendLatencyFaultEnable = newValue } }
    }

    /// Trace every send (set before `start()`).
    public var enableMsgTrace: Bool {
        get { settings.withLock { $0.enableMsgTrace } }
        set { settings.withLock { $0.enableMsgTrace = newValue } }
    }
    /// Where trace records go (nil: `RMQ_SYS_TRACE_TOPIC`).
    public var customizedTraceTopic: String? {
        get { settings.withLock { $0.customizedTraceTopic } }
        set { settings.withLock { $0.customizedTraceTopic = newValue } }
    }

    // MARK: Lifecycle

    /// Joins (or creates) the shared client instance, registers the group and sends a first heartbeat.
    public func start() async throws(ClientError) {
        let (group, config) = settings.withLock { ($0.producerGroup, $0.clientConfig) }
        try Validators.checkGroup(group)
        if group == MixAll.defaultProducerGroup {
            // Upstream allows it but warns; the broker then cannot route transaction checks well.
            logger.warning("producer uses the default group name DEFAULT_PRODUCER")
        }
        let instance = MQClientManager.shared.instance(for: config, logger: logger)
        try instance.checkTLS()
        let already = runtime.withLock { r -> Bool in
            if r.started { return true }
            r.instance = instance
            r.started = true
            return false
        }
        if already { return }
        do { try instance.registerProducer(self) } catch {
            runtime.withLock { $0.started = false; $0.instance = nil }
            throw error
        }
        instance.start()
        // Java keeps TBW102 in the publish table from the start, so the producer knows (and heartbeats)
        // every broker that can auto-create topics; transaction checks need that registration early.
        await instance.updateTopicRoute(settings.withLock { $0.createTopicKey })
        await instance.sendHeartbeatToAllBrokers()
        let s = settings.withLock { $0 }
        if s.enableMsgTrace {
            let dispatcher = AsyncTraceDispatcher(group: group, traceTopic: s.customizedTraceTopic,
                                                  clientConfig: config, logger: logger)
            do {
                try await dispatcher.start()
                runtime.withLock { $0.traceDispatcher = dispatcher }
            } catch {
                // As upstream: tracing failing to start leaves the producer usable.
                logger.warning("message trace could not start", metadata: ["error": "\(error)"])
            }
        }
    }

    func startInner() throws(ClientError) {
        guard let instance = runtime.withLock({ $0.instance }) else { throw .clientNotStarted }
        try instance.registerProducer(self)
        runtime.withLock { $0.started = true }
    }

    func shutdownInner() async {
        runtime.withLock { $0.started = false }
    }

    /// Unregisters from the brokers and releases the shared instance when it is no longer used.
    public func shutdown() async {
        let (instance, dispatcher) = runtime.withLock { r -> (MQClientInstance?, AsyncTraceDispatcher?) in
            guard r.started else { return (nil, nil) }
            r.started = false
            let d = r.traceDispatcher
            r.traceDispatcher = nil
            return (r.instance, d)
        }
        guard let instance else { return }
        await instance.unregisterProducer(group: producerGroup)
        await dispatcher?.shutdown()
    }

    /// The running instance, or `.clientNotStarted`.
    func runningInstance() throws(ClientError) -> MQClientInstance {
        guard let instance = runtime.withLock({ $0.started ? $0.instance : nil }) else { throw .clientNotStarted }
        return instance
    }

    /// The topic's writable queues as the name server routes them now (Java `fetchPublishMessageQueues`,
    /// which asks the name server every time). Unlike a send it never falls back to the TBW102 default
    /// route, so right after `createTopic` it shows the new topic's real queues, or throws until the
    /// broker has registered them.
    public func fetchPublishMessageQueues(_ topic: String) async throws(ClientError) -> [MessageQueue] {
        let instance = try runningInstance()
        guard let route = try await instance.api.topicRoute(topic) else { throw .noRouteInfo(topic) }
        let queues = TopicPublishInfo(topic: topic, route: route).messageQueues
        if queues.isEmpty { throw .noRouteInfo(topic) }
        return queues
    }
}

extension DefaultMQProducer: MQProducerInner {
    func checkTransactionState(brokerAddress: String, message: MessageExt, header: CheckTransactionStateRequestHeader)
        async
    {
        guard let check = runtime.withLock({ $0.transactionCheck }) else {
            logger.warning("CHECK_TRANSACTION_STATE for a producer without a transaction listener")
            return
        }
        await check(brokerAddress, message, header)
    }
}
