//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import RocketMQCommon
import RocketMQRemoting
import Synchronization

/// A consumer the client drives: it pulls (long polling) and calls your listener (Java `DefaultMQPushConsumer`).
///
/// Configure, `subscribe`, `registerMessageListener`, `start()`; `shutdown()` persists offsets and leaves
/// the group. Settings are in a `Mutex`; change them before `start()`.
public final class DefaultMQPushConsumer: Sendable {
    struct Settings {
        var consumerGroup: String
        var clientConfig: ClientConfig
        var messageModel: MessageModel = .clustering
        var consumeFromWhere: ConsumeFromWhere = .consumeFromLastOffset
        /// `yyyyMMddHHmmss`, local time (Java: half an hour ago).
        var consumeTimestamp: String = ConsumeTimestamp.format(millis: Clock.millis() - 30 * 60 * 1000)
        var allocateStrategy: any AllocateMessageQueueStrategy = AllocateMessageQueueAveragely()
        var consumeThreadMin = 20
        var consumeThreadMax = 20
        var consumeMessageBatchMaxSize = 1
        var pullBatchSize: Int32 = 32
        var pullThresholdForQueue = 1000
        var pullInterval: Duration = .zero
        /// -1 = 16 for concurrent consumers, unlimited for orderly ones (Java).
        var maxReconsumeTimes: Int32 = -1
        var suspendCurrentQueueTimeMillis: Int64 = 1000
        /// Sends the subscription expression on every pull (subscription flag), so the broker need not
        /// have seen a heartbeat first. Java's default is false; both work with a 4.x broker.
        var postSubscriptionWhenPull = true
        var brokerSuspendMaxTimeMillis: Int64 = 15_000
        var consumerTimeoutMillisWhenSuspend: Int64 = 30_000
        var enableMsgTrace = false
        var customizedTraceTopic: String?
    }

    enum Listener: Sendable {
        case concurrently(MessageListenerConcurrently)
        case orderly(MessageListenerOrderly)
    }

    struct Runtime {
        var started = false
        var instance: MQClientInstance?
        var rebalance: RebalanceImpl?
        var offsetStore: (any OffsetStore)?
        var listener: Listener?
        var limiter: ConsumeLimiter?
        var tasks: [Task<Void, Never>] = []
        /// One pull loop per assigned queue; replaced when a queue is re-assigned.
        var pullTasks: [MessageQueue: Task<Void, Never>] = [:]
        var startTimestamp: Int64 = 0
        /// Subscriptions made before start (topic → data); copied into the rebalance at start.
        var subscriptions: [String: SubscriptionData] = [:]
        /// Set while running with `enableMsgTrace`.
        var traceDispatcher: AsyncTraceDispatcher?
    }

    let settings: Mutex<Settings>
    let runtime = Mutex(Runtime())
    let logger: Logger
    let consumedCount = Atomic<Int>(0)
    let failedCount = Atomic<Int>(0)

    /// - Parameters:
    ///   - enableMsgTrace: send SubBefore/SubAfter trace records around every listener call (Java's flag).
    ///   - customizedTraceTopic: the trace topic; `RMQ_SYS_TRACE_TOPIC` when nil.
    public init(consumerGroup: String = MixAll.defaultConsumerGroup, namesrvAddr: String? = nil,
                clientConfig: ClientConfig = ClientConfig(), enableMsgTrace: Bool = false,
                customizedTraceTopic: String? = nil, logger: Logger = Logger(label: "rocketmq.consumer")) {
        var config = clientConfig
        if let namesrvAddr { config.namesrvAddr = namesrvAddr }
        var settings = Settings(consumerGroup: consumerGroup, clientConfig: config)
        settings.enableMsgTrace = enableMsgTrace
        settings.customizedTraceTopic = customizedTraceTopic
        self.settings = Mutex(settings)
        self.logger = logger
    }

    // MARK: Settings

    public var consumerGroup: String {
        get { settings.withLock { $0.consumerGroup } }
        set { settings.withLock { $0.consumerGroup = newValue } }
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
    public var messageModel: MessageModel {
        get { settings.withLock { $0.messageModel } }
        set { settings.withLock { $0.messageModel = newValue } }
    }
    public var consumeFromWhere: ConsumeFromWhere {
        get { settings.withLock { $0.consumeFromWhere } }
        set { settings.withLock { $0.consumeFromWhere = newValue } }
    }
    /// Start time for `.consumeFromTimestamp`, `yyyyMMddHHmmss` in local time.
    public var consumeTimestamp: String {
        get { settings.withLock { $0.consumeTimestamp } }
        set { settings.withLock { $0.consumeTimestamp = newValue } }
    }
    public var allocateMessageQueueStrategy: any AllocateMessageQueueStrategy {
        get { settings.withLock { $0.allocateStrategy } }
        set { settings.withLock { $0.allocateStrategy = newValue } }
    }
    public var consumeThreadMin: Int {
        get { settings.withLock { $0.consumeThreadMin } }
        set { settings.withLock { $0.consumeThreadMin = newValue } }
    }
    /// The most listener calls running at once (there are no threads; this is a concurrency limit).
    public var consumeThreadMax: Int {
        get { settings.withLock { $0.consumeThreadMax } }
        set { settings.withLock { $0.consumeThreadMax = newValue } }
    }
    public var consumeMessageBatchMaxSize: Int {
        get { settings.withLock { $0.consumeMessageBatchMaxSize } }
        set { settings.withLock { $0.consumeMessageBatchMaxSize = newValue } }
    }
    public var pullBatchSize: Int32 {
        get { settings.withLock { $0.pullBatchSize } }
        set { settings.withLock { $0.pullBatchSize = newValue } }
    }
    /// Flow control: stop pulling a queue while this many of its messages wait to be consumed.
    public var pullThresholdForQueue: Int {
        get { settings.withLock { $0.pullThresholdForQueue } }
        set { settings.withLock { $0.pullThresholdForQueue = newValue } }
    }
    public var pullInterval: Duration {
        get { settings.withLock { $0.pullInterval } }
        set { settings.withLock { $0.pullInterval = newValue } }
    }
    public var maxReconsumeTimes: Int32 {
        get { settings.withLock { $0.maxReconsumeTimes } }
        set { settings.withLock { $0.maxReconsumeTimes = newValue } }
    }
    public var suspendCurrentQueueTimeMillis: Int64 {
        get { settings.withLock { $0.suspendCurrentQueueTimeMillis } }
        set { settings.withLock { $0.suspendCurrentQueueTimeMillis = newValue } }
    }
    public var postSubscriptionWhenPull: Bool {
        get { settings.withLock { $0.postSubscriptionWhenPull } }
        set { settings.withLock { $0.postSubscriptionWhenPull = newValue } }
    }

    /// Messages the listener reported consumed (tests and monitoring).
    public var consumedMessageCount: Int { consumedCount.load(ordering: .relaxed) }
    /// Messages the listener reported failed (RECONSUME_LATER / SUSPEND).
    public var failedMessageCount: Int { failedCount.load(ordering: .relaxed) }

    // MARK: Subscription and listener

    /// Subscribes to a topic with a tag expression (`"TagA || TagB"`, `"*"`).
    public func subscribe(_ topic: String, _ subExpression: String) throws(ClientError) {
        try subscribe(topic, selector: .byTag(subExpression))
    }

    /// Subscribes to a topic with a tag or SQL92 selector.
    public func subscribe(_ topic: String, selector: MessageSelector) throws(ClientError) {
        if let problem = TopicValidator.validate(topic) { throw .illegalArgument(problem) }
        let data = SubscriptionData.build(topic: topic, subString: selector.expression, type: selector.expressionType)
        let rebalance = runtime.withLock { r -> RebalanceImpl? in
            r.subscriptions[topic] = data
            return r.rebalance
        }
        if let rebalance {
            rebalance.subscriptions.withLock { $0[topic] = data }
            Task { [weak self] in await self?.afterSubscriptionChange(topic) }
        }
    }

    public func unsubscribe(_ topic: String) {
        let rebalance = runtime.withLock { r -> RebalanceImpl? in
            r.subscriptions[topic] = nil
            return r.rebalance
        }
        rebalance?.subscriptions.withLock { _ = $0.removeValue(forKey: topic) }
    }

    public func registerMessageListener(concurrently listener: @escaping MessageListenerConcurrently) {
        runtime.withLock { $0.listener = .concurrently(listener) }
    }

    public func registerMessageListener(orderly listener: @escaping MessageListenerOrderly) {
        runtime.withLock { $0.listener = .orderly(listener) }
    }

    /// Trace every consume (set before `start()`).
    public var enableMsgTrace: Bool {
        get { settings.withLock { $0.enableMsgTrace } }
        set { settings.withLock { $0.enableMsgTrace = newValue } }
    }
    /// Where trace records go (nil: `RMQ_SYS_TRACE_TOPIC`).
    public var customizedTraceTopic: String? {
        get { settings.withLock { $0.customizedTraceTopic } }
        set { settings.withLock { $0.customizedTraceTopic = newValue } }
    }

    var isOrderly: Bool {
        if case .orderly = runtime.withLock({ $0.listener }) { return true }
        return false
    }

    // MARK: Lifecycle

    /// Joins the shared client instance, registers the group, heartbeats and rebalances at once.
    public func start() async throws(ClientError) {
        let s = settings.withLock { $0 }
        try Validators.checkGroup(s.consumerGroup)
        guard runtime.withLock({ $0.listener }) != nil else {
            throw .illegalArgument("messageListener is null; call registerMessageListener before start()")
        }
        if s.consumeThreadMax < 1 || s.consumeThreadMin > s.consumeThreadMax {
            throw .illegalArgument("consumeThreadMin/Max out of range")
        }
        if s.consumeMessageBatchMaxSize < 1 || s.consumeMessageBatchMaxSize > 1024 {
            throw .illegalArgument("consumeMessageBatchMaxSize Out of range [1, 1024]")
        }
        if s.pullBatchSize < 1 || s.pullBatchSize > 1024 { throw .illegalArgument("pullBatchSize Out of range [1, 1024]") }
        if s.consumeFromWhere == .consumeFromTimestamp && ConsumeTimestamp.parse(s.consumeTimestamp) == nil {
            throw .illegalArgument("consumeTimestamp is invalid, the valid format is yyyyMMddHHmmss")
        }
        let instance = MQClientManager.shared.instance(for: s.clientConfig, logger: logger)
        try instance.checkTLS()
        let rebalance = RebalanceImpl(group: s.consumerGroup, messageModel: s.messageModel,
                                      strategy: s.allocateStrategy, instance: instance, logger: logger)
        let store: any OffsetStore = s.messageModel == .clustering
            ? RemoteBrokerOffsetStore(instance: instance, group: s.consumerGroup)
            : LocalFileOffsetStore(clientID: instance.clientID, group: s.consumerGroup,
                                   baseDirectory: s.clientConfig.localOffsetStoreDir)
        store.load()
        let alreadyStarted = runtime.withLock { r -> Bool in
            if r.started { return true }
            var subs = r.subscriptions
            if s.messageModel == .clustering {
                let retry = MixAll.retryTopic(s.consumerGroup)
                subs[retry] = SubscriptionData.build(topic: retry, subString: SubscriptionData.subAll)
            }
            rebalance.subscriptions.withLock { $0 = subs }
            r.started = true
            r.instance = instance
            r.rebalance = rebalance
            r.offsetStore = store
            r.limiter = ConsumeLimiter(limit: s.consumeThreadMax)
            r.startTimestamp = Clock.millis()
            return false
        }
        if alreadyStarted { return }
        do { try instance.registerConsumer(self) } catch {
            runtime.withLock { $0.started = false; $0.instance = nil; $0.rebalance = nil }
            throw error
        }
        instance.start()
        if isOrderly && s.messageModel == .clustering {
            let lockTask = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(20))
                    guard !Task.isCancelled, let self else { return }
                    await self.runtime.withLock { $0.rebalance }?.lockAll()
                }
            }
            runtime.withLock { $0.tasks.append(lockTask) }
        }
        for topic in rebalance.subscriptions.withLock({ Array($0.keys) }) { await instance.updateTopicRoute(topic) }
        do { try await checkClientInBroker(instance: instance, subscriptions: rebalance.subscriptions.withLock { $0 }) } catch {
            await shutdown()
            throw error
        }
        await instance.sendHeartbeatToAllBrokers()
        if s.enableMsgTrace {
            let dispatcher = AsyncTraceDispatcher(group: s.consumerGroup, traceTopic: s.customizedTraceTopic,
                                                  clientConfig: s.clientConfig, logger: logger)
            do {
                try await dispatcher.start()
                runtime.withLock { $0.traceDispatcher = dispatcher }
            } catch {
                logger.warning("message trace could not start", metadata: ["error": "\(error)"])
            }
        }
        await doRebalance()
    }

    /// Asks a broker of each non-tag subscription whether it can filter that way (CHECK_CLIENT_CONFIG,
    /// Java `checkClientInBroker`), so an SQL92 subscription on a broker without `enablePropertyFilter`
    /// fails in `start()` with the broker's remark instead of silently pulling nothing.
    private func checkClientInBroker(instance: MQClientInstance, subscriptions: [String: SubscriptionData])
        async throws(ClientError)
    {
        for (topic, data) in subscriptions.sorted(by: { $0.key < $1.key }) where !ExpressionType.isTagType(data.expressionType) {
            guard let address = instance.anyBrokerAddress(topic: topic) else { continue }
            let body: JSONValue = .object([("clientId", .string(instance.clientID)), ("group", .string(consumerGroup)),
                                           ("subscriptionData", data.toJSON())])
            let request = RemotingCommand.request(.checkClientConfig, body: ByteBuffer(bytes: JSONWriter.bytes(body)))
            let response = try await instance.api.invoke(address, request)
            guard response.responseCode == .success else {
                throw .broker(MQBrokerError(code: response.responseCode, remark: response.remark, address: address))
            }
        }
    }

    private func afterSubscriptionChange(_ topic: String) async {
        guard let instance = runtime.withLock({ $0.instance }) else { return }
        await instance.updateTopicRoute(topic)
        await instance.sendHeartbeatToAllBrokers()
        await doRebalance()
    }

    /// Stops pulling, persists offsets, unlocks orderly queues and leaves the group.
    public func shutdown() async {
        let (instance, rebalance, store, tasks, trace) = runtime.withLock { r
            -> (MQClientInstance?, RebalanceImpl?, (any OffsetStore)?, [Task<Void, Never>], AsyncTraceDispatcher?) in
            guard r.started else { return (nil, nil, nil, [], nil) }
            r.started = false
            let t = r.tasks + Array(r.pullTasks.values)
            r.tasks = []
            r.pullTasks = [:]
            let d = r.traceDispatcher
            r.traceDispatcher = nil
            return (r.instance, r.rebalance, r.offsetStore, t, d)
        }
        guard let instance, let rebalance else { return }
        for task in tasks { task.cancel() }
        let dropped = rebalance.dropAll()
        await store?.persistAll(Set(dropped.keys))
        if isOrderly && messageModel == .clustering { await rebalance.unlock(Array(dropped.keys)) }
        await instance.unregisterConsumer(group: consumerGroup)
        await trace?.shutdown()  // flushes the last records
    }

    /// The offset the consumer holds in memory for a queue (tests), or nil.
    public func committedOffset(_ queue: MessageQueue) -> Int64? {
        runtime.withLock { $0.offsetStore }?.offsetTable()[queue]
    }

    /// Queues this member currently consumes.
    public func assignedQueues() -> Set<MessageQueue> {
        runtime.withLock { $0.rebalance }?.assignedQueues() ?? []
    }
}
