//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import RocketMQRemoting
import Synchronization

/// A consumer you poll (Java `DefaultLitePullConsumer`): `subscribe` (queues assigned by rebalance) or
/// `assign` (queues chosen by you), then `poll(timeout:)` or `for try await m in consumer.messages`.
///
/// Background tasks pull each queue into a buffer (bounded by `pullThresholdForQueue`); polling takes
/// from it. With `autoCommit` the polled offsets are committed every `autoCommitInterval`; otherwise
/// call ``commitSync()``. State lives in `Mutex`es.
public final class DefaultLitePullConsumer: Sendable {
    struct Settings {
        var consumerGroup: String
        var clientConfig: ClientConfig
        var messageModel: MessageModel = .clustering
        var consumeFromWhere: ConsumeFromWhere = .consumeFromLastOffset
        var consumeTimestamp = ConsumeTimestamp.format(millis: Clock.millis() - 30 * 60 * 1000)
        var allocateStrategy: any AllocateMessageQueueStrategy = AllocateMessageQueueAveragely()
        var autoCommit = true
        var autoCommitInterval: Duration = .seconds(5)
        var pullBatchSize: Int32 = 10
        var pullThresholdForQueue = 1000
        var brokerSuspendMaxTimeMillis: Int64 = 20_000
        var consumerTimeoutMillisWhenSuspend: Int64 = 30_000
    }

    struct QueueState {
        var processQueue: ProcessQueue
        var nextPullOffset: Int64
        var paused = false
        /// Bumped by `seek` so an in-flight pull's result is discarded.
        var generation = 0
    }

    struct Runtime {
        var started = false
        var instance: MQClientInstance?
        var rebalance: RebalanceImpl?
        var offsetStore: (any OffsetStore)?
        var subscriptions: [String: SubscriptionData] = [:]
        var assigned: [MessageQueue]?
        var queues: [MessageQueue: QueueState] = [:]
        /// Pulled, not yet polled: (queue, generation, messages).
        var buffer: [(MessageQueue, Int, [MessageExt])] = []
        var tasks: [Task<Void, Never>] = []
    }

    let settings: Mutex<Settings>
    let runtime = Mutex(Runtime())
    let logger: Logger

    public init(consumerGroup: String, namesrvAddr: String? = nil, clientConfig: ClientConfig = ClientConfig(),
                logger: Logger = Logger(label: "rocketmq.litepull")) {
        var config = clientConfig
        if let namesrvAddr { config.namesrvAddr = namesrvAddr }
        self.settings = Mutex(Settings(consumerGroup: consumerGroup, clientConfig: config))
        self.logger = logger
    }

    public var consumerGroup: String { settings.withLock { $0.consumerGroup } }
    public var messageModel: MessageModel {
        get { settings.withLock { $0.messageModel } }
        set { settings.withLock { $0.messageModel = newValue } }
    }
    public var consumeFromWhere: ConsumeFromWhere {
        get { settings.withLock { $0.consumeFromWhere } }
        set { settings.withLock { $0.consumeFromWhere = newValue } }
    }
    public var autoCommit: Bool {
        get { settings.withLock { $0.autoCommit } }
        set { settings.withLock { $0.autoCommit = newValue } }
    }
    public var autoCommitInterval: Duration {
        get { settings.withLock { $0.autoCommitInterval } }
        set { settings.withLock { $0.autoCommitInterval = newValue } }
    }
    public var pullBatchSize: Int32 {
        get { settings.withLock { $0.pullBatchSize } }
        set { settings.withLock { $0.pullBatchSize = newValue } }
    }
    public var allocateMessageQueueStrategy: any AllocateMessageQueueStrategy {
        get { settings.withLock { $0.allocateStrategy } }
        set { settings.withLock { $0.allocateStrategy = newValue } }
    }

    // MARK: Subscription

    public func subscribe(_ topic: String, _ subExpression: String = "*") throws(ClientError) {
        if let problem = TopicValidator.validate(topic) { throw .illegalArgument(problem) }
        let data = SubscriptionData.build(topic: topic, subString: subExpression)
        try runtime.withLock { r throws(ClientError) in
            if r.assigned != nil { throw .illegalArgument("Subscribe and assign are mutually exclusive.") }
            r.subscriptions[topic] = data
            r.rebalance?.subscriptions.withLock { $0[topic] = data }
        }
    }

    /// Consumes exactly these queues (no rebalance).
    public func assign(_ queues: [MessageQueue]) throws(ClientError) {
        let added = try runtime.withLock { r throws(ClientError) -> [MessageQueue] in
            if !r.subscriptions.isEmpty { throw .illegalArgument("Subscribe and assign are mutually exclusive.") }
            r.assigned = queues
            for q in queues { r.subscriptions[q.topic] = SubscriptionData.build(topic: q.topic, subString: "*") }
            return r.started ? queues : []
        }
        if !added.isEmpty { Task { await self.applyAssignment(added) } }
    }

    public func pause(_ queues: [MessageQueue]) {
        runtime.withLock { r in for q in queues { r.queues[q]?.paused = true } }
    }

    public func resume(_ queues: [MessageQueue]) {
        runtime.withLock { r in for q in queues { r.queues[q]?.paused = false } }
    }

    /// Moves a queue's position: buffered messages of that queue are dropped and pulling restarts there.
    public func seek(_ queue: MessageQueue, offset: Int64) throws(ClientError) {
        try runtime.withLock { r throws(ClientError) in
            guard var state = r.queues[queue] else {
                throw .illegalArgument("The message queue is not in assigned list, may be rebalancing, message queue: \(queue)")
            }
            state.nextPullOffset = offset
            state.generation += 1
            state.processQueue.clear()
            r.queues[queue] = state
            r.buffer.removeAll { $0.0 == queue }
            r.offsetStore?.updateOffset(queue, offset, increaseOnly: false)
            // Pull from the new position now instead of after the in-flight long poll (up to
            // brokerSuspendMaxTimeMillis) returns; the old task ends when it sees the new generation
            // (Java interrupts the old pull task and schedules a new one).
            if r.started {
                let (processQueue, generation) = (state.processQueue, state.generation)
                r.tasks.append(Task { [weak self] in
                    await self?.pullTask(queue: queue, processQueue: processQueue, generation: generation)
                })
            }
        }
    }

    // MARK: Lifecycle

    public func start() async throws(ClientError) {
        let s = settings.withLock { $0 }
        try Validators.checkGroup(s.consumerGroup)
        let instance = MQClientManager.shared.instance(for: s.clientConfig, logger: logger)
        try instance.checkTLS()
        let rebalance = RebalanceImpl(group: s.consumerGroup, messageModel: s.messageModel,
                                      strategy: s.allocateStrategy, instance: instance, logger: logger)
        let store: any OffsetStore = s.messageModel == .clustering
            ? RemoteBrokerOffsetStore(instance: instance, group: s.consumerGroup)
            : LocalFileOffsetStore(clientID: instance.clientID, group: s.consumerGroup,
                                   baseDirectory: s.clientConfig.localOffsetStoreDir)
        store.load()
        let assigned = runtime.withLock { r -> [MessageQueue]?? in
            if r.started { return .some(nil) }
            r.started = true
            r.instance = instance
            r.offsetStore = store
            if r.assigned == nil {
                rebalance.subscriptions.withLock { $0 = r.subscriptions }
                r.rebalance = rebalance
            }
            return .some(r.assigned)
        }
        guard case .some(let assignedQueues) = assigned else { return }
        do { try instance.registerConsumer(self) } catch {
            runtime.withLock { $0.started = false; $0.instance = nil; $0.rebalance = nil }
            throw error
        }
        instance.start()
        if let assignedQueues {
            await applyAssignment(assignedQueues)
        } else {
            for topic in rebalance.subscriptions.withLock({ Array($0.keys) }) { await instance.updateTopicRoute(topic) }
            await instance.sendHeartbeatToAllBrokers()
            await doRebalance()
        }
        let commitTask = Task { [weak self] in
            while !Task.isCancelled {
                guard let interval = self?.autoCommitInterval else { return }
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let self else { return }
                if self.autoCommit { await self.commitSync() }
            }
        }
        runtime.withLock { $0.tasks.append(commitTask) }
    }

    private func applyAssignment(_ queues: [MessageQueue]) async {
        guard let instance = runtime.withLock({ $0.instance }) else { return }
        for topic in Set(queues.map(\.topic)) { await instance.updateTopicRoute(topic) }
        var requests: [(queue: MessageQueue, processQueue: ProcessQueue, nextOffset: Int64)] = []
        for queue in queues where runtime.withLock({ $0.queues[queue] == nil }) {
            let offset = await computePullFromWhere(queue)
            if offset >= 0 { requests.append((queue, ProcessQueue(), offset)) }
        }
        dispatchPullRequests(requests)
    }

    public func shutdown() async {
        let (instance, store, tasks, queues) = runtime.withLock { r in
            let result = (r.started ? r.instance : nil, r.offsetStore, r.tasks, r.queues)
            r.started = false
            r.tasks = []
            for q in r.queues.values { q.processQueue.markDropped() }
            r.queues = [:]
            r.buffer = []
            return result
        }
        for task in tasks { task.cancel() }
        if autoCommit { await store?.persistAll(Set(queues.keys)) }
        if let instance { await instance.unregisterConsumer(group: consumerGroup) }
    }

    // MARK: Polling

    /// Returns the next buffered messages (one queue's batch), waiting up to `timeout`; empty on timeout.
    public func poll(timeout: Duration = .seconds(5)) async throws(ClientError) -> [MessageExt] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let taken = try runtime.withLock { r throws(ClientError) -> [MessageExt]? in
                guard r.started else { throw .clientNotStarted }
                while !r.buffer.isEmpty {
                    let (queue, generation, messages) = r.buffer.removeFirst()
                    guard let state = r.queues[queue], state.generation == generation else { continue }
                    let offset = state.processQueue.removeMessages(messages)
                    if offset >= 0 { r.offsetStore?.updateOffset(queue, offset, increaseOnly: true) }
                    return messages
                }
                return nil
            }
            if let taken { return taken }
            if ContinuousClock.now >= deadline { return [] }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Sends the polled offsets to the broker (or the local file) now.
    public func commitSync() async {
        let (store, queues) = runtime.withLock { ($0.offsetStore, Set($0.queues.keys)) }
        await store?.persistAll(queues)
    }

    /// The committed (polled) position of a queue, if known.
    public func committed(_ queue: MessageQueue) async -> Int64 {
        await runtime.withLock { $0.offsetStore }?.readOffset(queue, .memoryFirstThenStore) ?? -1
    }

    /// Messages as an async sequence: `for try await message in consumer.messages { … }`. Pulls on demand;
    /// ends when the consumer shuts down.
    public var messages: LitePullMessages { LitePullMessages(consumer: self) }

    var isRunning: Bool { runtime.withLock { $0.started } }
}

/// The async sequence behind ``DefaultLitePullConsumer/messages``.
public struct LitePullMessages: AsyncSequence, Sendable {
    public typealias Element = MessageExt
    let consumer: DefaultLitePullConsumer

    public struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: DefaultLitePullConsumer
        var buffer: [MessageExt] = []

        public mutating func next() async throws -> MessageExt? {
            while buffer.isEmpty {
                if Task.isCancelled || !consumer.isRunning { return nil }
                do { buffer = try await consumer.poll(timeout: .seconds(1)) } catch {
                    if case .clientNotStarted = error { return nil }
                    throw error
                }
            }
            return buffer.removeFirst()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(consumer: consumer) }
}
