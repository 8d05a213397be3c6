//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import NIOPosix
import RocketMQCommon
import RocketMQCompression
import RocketMQRemoting
import Synchronization

/// The per-process client core (Java `MQClientInstance`): one remoting client, the route and broker
/// address caches, the registered producers and consumers, and the background loops (route refresh,
/// heartbeat, offset persistence, rebalance).
///
/// State lives in one `Mutex` with short synchronous sections; network calls happen outside it. The
/// loops are `Task`s owned here and cancelled by ``shutdown()``.
public final class MQClientInstance: Sendable {
    public let config: ClientConfig
    public let clientID: String
    let logger: Logger
    let remoting: RemotingClient
    let api: MQClientAPI
    /// Requests of this instance's producers waiting for a pushed reply.
    let requestFutures = RequestFutureTable()
    /// Body codecs for pulled messages and pushed replies (one registry for every client of the instance).
    let compressors = CompressorRegistry.standard()

    struct State {
        var started = false
        var shutDown = false
        var producers: [String: any MQProducerInner] = [:]
        var consumers: [String: any MQConsumerInner] = [:]
        var routes: [String: TopicRouteData] = [:]
        var publishInfo: [String: TopicPublishInfo] = [:]
        var subscribeInfo: [String: Set<MessageQueue>] = [:]
        /// brokerName → brokerId → address.
        var brokerAddrs: [String: [Int64: String]] = [:]
        var tasks: [Task<Void, Never>] = []
        var innerProducer: DefaultMQProducer?
    }
    let state = Mutex(State())

    init(config: ClientConfig, logger: Logger) {
        self.config = config
        self.clientID = config.clientID
        var logger = logger
        logger[metadataKey: "rocketmq.client"] = "\(config.clientID)"
        self.logger = logger
        let holder = InstanceHolder()
        var table = ProcessorTable()
        let lane = ExecutionLane(name: "client-callbacks", capacity: 64)
        // Registration of fixed, distinct codes cannot fail.
        try? table.register(ClientRemotingProcessor(holder: holder), codes: ClientRemotingProcessor.codes, lane: lane)
        self.remoting = RemotingClient(group: MultiThreadedEventLoopGroup.singleton, processors: table, logger: logger,
                                       tls: config.useTLS ? config.tls : nil)
        self.api = MQClientAPI(remoting: remoting, config: config, logger: logger)
        holder.set(self)
    }

    // MARK: Lifecycle

    /// Fails a start whose TLS settings are unusable (`useTLS` with a bad `tls.client.*` key), naming the key.
    func checkTLS() throws(ClientError) {
        do { try remoting.checkTLS() } catch { throw .illegalArgument("\(error)") }
    }

    /// Starts the background loops once; later calls do nothing.
    func start() {
        let begin = state.withLock { s -> Bool in
            guard !s.started else { return false }
            s.started = true
            s.shutDown = false
            return true
        }
        guard begin else { return }
        let tasks = [
            loop(every: config.pollNameServerInterval) { await $0.updateTopicRoutesFromNameServer() },
            loop(every: config.heartbeatBrokerInterval) { await $0.sendHeartbeatToAllBrokers() },
            loop(every: config.persistConsumerOffsetInterval) { await $0.persistAllConsumerOffsets() },
            loop(every: config.rebalanceInterval) { await $0.doRebalance() },
        ]
        state.withLock { $0.tasks.append(contentsOf: tasks) }
        logger.info("client instance started")
    }

    /// A loop that holds the instance weakly, so a forgotten instance does not live forever.
    private func loop(every interval: Duration, _ body: @escaping @Sendable (MQClientInstance) async -> Void)
        -> Task<Void, Never>
    {
        Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let instance = self else { return }
                await body(instance)
            }
        }
    }

    /// Stops the loops, unregisters from every broker, closes connections (Java `MQClientInstance.shutdown`).
    public func shutdown() async {
        let (tasks, inner) = state.withLock { s -> ([Task<Void, Never>], DefaultMQProducer?) in
            guard !s.shutDown else { return ([], nil) }
            s.shutDown = true
            s.started = false
            let t = s.tasks
            s.tasks = []
            let p = s.innerProducer
            s.innerProducer = nil
            return (t, p)
        }
        // Leave the registry first, so a client started meanwhile gets a fresh instance, not this closing one.
        MQClientManager.shared.remove(self)
        for task in tasks { task.cancel() }
        if let inner { await inner.shutdownInner() }
        await remoting.shutdown()
        logger.info("client instance shut down")
    }

    // MARK: Registration

    func registerProducer(_ producer: any MQProducerInner) throws(ClientError) {
        try state.withLock { s throws(ClientError) in
            if let existing = s.producers[producer.producerGroup], existing !== producer {
                throw ClientError.illegalArgument(
                    "The producer group[\(producer.producerGroup)] has been created before; use another group or instanceName")
            }
            s.producers[producer.producerGroup] = producer
        }
    }

    func registerConsumer(_ consumer: any MQConsumerInner) throws(ClientError) {
        try state.withLock { s throws(ClientError) in
            if let existing = s.consumers[consumer.consumerGroup], existing !== consumer {
                throw ClientError.illegalArgument(
                    "The consumer group[\(consumer.consumerGroup)] has been created before in this process; "
                        + "use another instanceName for a second member of the group")
            }
            s.consumers[consumer.consumerGroup] = consumer
        }
    }

    /// Removes a producer, tells every broker, and shuts the instance down when nothing is left.
    func unregisterProducer(group: String) async {
        state.withLock { _ = $0.producers.removeValue(forKey: group) }
        await unregisterClient(producerGroup: group, consumerGroup: nil)
        await shutdownIfUnused()
    }

    func unregisterConsumer(group: String) async {
        state.withLock { _ = $0.consumers.removeValue(forKey: group) }
        await unregisterClient(producerGroup: nil, consumerGroup: group)
        await shutdownIfUnused()
    }

    private func shutdownIfUnused() async {
        let unused = state.withLock { s in
            s.consumers.isEmpty && s.producers.keys.allSatisfy { $0 == MixAll.clientInnerProducerGroup }
        }
        if unused { await shutdown() }
    }

    private func unregisterClient(producerGroup: String?, consumerGroup: String?) async {
        let addresses = state.withLock { s in s.brokerAddrs.values.flatMap { $0.values } }
        for address in Set(addresses) {
            do {
                try await api.unregisterClient(address: address, clientID: clientID, producerGroup: producerGroup,
                                               consumerGroup: consumerGroup)
            } catch {
                logger.info("unregister client failed", metadata: ["address": "\(address)", "error": "\(error)"])
            }
        }
    }

    func consumer(group: String) -> (any MQConsumerInner)? { state.withLock { $0.consumers[group] } }
    func producer(group: String) -> (any MQProducerInner)? { state.withLock { $0.producers[group] } }

    /// The instance's own producer (group CLIENT_INNER_PRODUCER), used by consumers to re-send failed
    /// messages when CONSUMER_SEND_MSG_BACK fails.
    func innerProducer() async throws(ClientError) -> DefaultMQProducer {
        let (producer, created) = state.withLock { s -> (DefaultMQProducer, Bool) in
            if let p = s.innerProducer { return (p, false) }
            let p = DefaultMQProducer(innerGroupFor: self)
            s.innerProducer = p
            return (p, true)
        }
        if created { try producer.startInner() }
        return producer
    }
}

/// Lets the processor table (built before the instance exists) reach the instance without a cycle.
final class InstanceHolder: Sendable {
    private struct Weak { weak var value: MQClientInstance? }
    private let box = Mutex(Weak())
    func set(_ instance: MQClientInstance) { box.withLock { $0.value = instance } }
    var instance: MQClientInstance? { box.withLock { $0.value } }
}
