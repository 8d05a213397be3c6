//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import NIOPosix
import RocketMQCommon
import RocketMQCompression
import RocketMQFilter
import RocketMQMetrics
import RocketMQRemoting
import RocketMQStore
import ServiceLifecycle
import Synchronization

/// The broker: store, topic/group/offset managers, client registries, plugins, processors and the
/// periodic work (Java `BrokerController`). Processors are wired in `BrokerController+Processors.swift`.
public final class BrokerController: Service, Sendable {
    private let configBox: Mutex<ConfigSnapshot>
    public var config: BrokerConfig { configBox.withLock { $0.value } }
    /// The live configuration by reference: hot paths read the fields they need through it rather
    /// than copying the whole `BrokerConfig` (a retain per string field) per request.
    public var configSnapshot: ConfigSnapshot { configBox.withLock { $0 } }
    public let store: DefaultMessageStore
    public let topicConfigManager: TopicConfigManager
    public let subscriptionGroupManager: SubscriptionGroupManager
    public let consumerOffsetManager: ConsumerOffsetManager
    public let consumerManager: ConsumerManager
    public let producerManager = ProducerManager()
    public let pullHold = PullRequestHoldService()
    public let transactionStates = TransactionStateTable()
    public let rebalanceLockManager = RebalanceLockManager()
    public let extensions: BrokerExtensions
    public let plugins: [any BrokerPlugin]
    let namesrvClient: RemotingClient
    /// `tls.server.mode` and its context, built at init so certificate problems stop start-up.
    let serverTLS: RemotingServerTLS
    let outerAPI: BrokerOuterAPI
    let logger: Logger
    let group: any EventLoopGroup
    /// `brokerIP1:listenPort` as stored in STOREHOST and offset message ids; fixed once the port is bound
    /// (tests bind port 0).
    public var storeHost: SocketAddressBytes { storeHostBox.withLock { $0 } }
    private let storeHostBox: Mutex<SocketAddressBytes>
    let compressors: CompressorRegistry
    /// This broker's filters (not a global): bundled TAG and SQL92 plus plugin factories.
    public let filterRegistry: FilterRegistry
    let filterCache: CompiledFilterCache
    private let serverBox = Mutex<RemotingServer?>(nil)
    private let lifecycle = Mutex<(started: Bool, tasks: [Task<Void, Never>])>((false, []))
    let lanes = BrokerLanes()
    /// The bound HA port (masters), registered as `haServerAddr`.
    private let haPortBox = Mutex<Int>(0)
    /// Copies metadata from the master on slaves (Java `SlaveSynchronize`).
    let slaveSynchronize: SlaveSynchronize
    /// Prometheus metrics (`metricsExporterType`); the exporter exists only under PROM.
    public let metrics: BrokerMetrics
    let metricsServer: PrometheusHTTPServer?

    public init(config input: BrokerConfig, plugins: [any BrokerPlugin] = [], group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger) throws {
        try input.validate()
        var normalized = input
        if normalized.store.brokerRole != .slave && normalized.brokerId != 0 {
            // As upstream's BrokerStartup: a master is always brokerId 0.
            logger.warning("brokerRole=\(normalized.store.brokerRole.rawValue) is a master; brokerId \(normalized.brokerId) set to 0")
            normalized.brokerId = 0
        }
        let config = normalized
        self.configBox = Mutex(ConfigSnapshot(config))
        self.logger = logger
        self.group = group
        self.plugins = plugins
        let root = config.store.storePathRootDir
        try FileIO.makeDirectories(root + "/config")
        self.store = DefaultMessageStore(config: config.store, logger: logger, group: group)
        let box = BrokerBox()
        let metrics = BrokerMetrics(config: config)
        self.metrics = metrics
        self.metricsServer = metrics.enabled
            ? PrometheusHTTPServer(group: group, logger: logger) { box.broker?.renderMetrics() ?? [] } : nil
        self.topicConfigManager = TopicConfigManager(path: root + "/config/topics.json", logger: logger,
                                                     brokerConfig: { box.broker?.config ?? config },
                                                     countsIncoming: metrics.enabled)
        self.subscriptionGroupManager = SubscriptionGroupManager(path: root + "/config/subscriptionGroup.json", logger: logger)
        self.consumerOffsetManager = ConsumerOffsetManager(path: root + "/config/consumerOffset.json", logger: logger)
        self.consumerManager = ConsumerManager(logger: logger) { group, channels in
            box.broker?.notifyConsumerIdsChanged(group: group, channels: channels)
        }
        self.serverTLS = try RemotingServerTLS(config: config.tls, logger: logger)
        // Name-server registration and slave sync use TLS with tls.enable, or when this broker enforces it.
        self.namesrvClient = RemotingClient(group: group, logger: logger,
                                            tls: config.tls.brokerClientUsesTLS ? config.tls : nil)
        try namesrvClient.checkTLS()
        self.outerAPI = BrokerOuterAPI(client: namesrvClient, logger: logger)
        self.slaveSynchronize = SlaveSynchronize(client: namesrvClient, logger: logger)
        let initialStoreHost = SocketAddressBytes(ipv4HostPort: config.brokerAddr)
            ?? SocketAddressBytes(address: [127, 0, 0, 1], port: Int32(config.listenPort))
        self.storeHostBox = Mutex(initialStoreHost)

        // Plugins contribute in list order; the result is frozen.
        var extensions = BrokerExtensions()
        let codecs = BrokerCompressors()
        let context = BrokerPluginContext(
            brokerConfig: config, logger: logger, store: store, compressors: codecs,
            putMessage: { msg in
                guard let broker = box.broker else { return PutMessageResult(status: .serviceNotAvailable) }
                return await broker.putMessage(msg)
            }, storeHostProvider: { box.broker?.storeHost ?? initialStoreHost })
        var seenNames = Set<String>()
        for plugin in plugins {
            guard seenNames.insert(plugin.name).inserted else { throw BrokerError.duplicatePlugin(plugin.name) }
            try plugin.load(into: &extensions, context: context)
        }
        codecs.freeze(extensions.compressors)
        self.compressors = extensions.compressors
        var registry = FilterRegistry(bundled: true)
        for factory in extensions.filterFactories { try registry.register(factory) }
        self.filterRegistry = registry
        self.filterCache = CompiledFilterCache(registry: registry)
        self.extensions = extensions
        box.set(self)
        for d in extensions.dispatchers { store.addDispatcher(d) }
        store.setMessageArrivingListener(ArrivingListener(hold: pullHold))
    }

    /// Loads state, recovers the store, starts plugins, opens the port and registers with name servers.
    /// Returns the bound port.
    @discardableResult
    public func start() async throws -> Int {
        let c = config
        // First: a bad plain_acl.yml stops the start before the store is opened.
        let acl = try initialAcl()
        topicConfigManager.load()
        subscriptionGroupManager.load()
        consumerOffsetManager.load()
        guard try store.load() else { throw BrokerError.storeLoadFailed }
        try store.start()
        if let haPort = try await store.startHA(host: c.bindAddress, port: c.resolvedHAListenPort) {
            haPortBox.withLock { $0 = haPort }
        }
        if c.store.brokerRole != .slave {
            TransactionalMessageCheckService(broker: self, logger: logger).recover()
        }
        for plugin in plugins { try await plugin.start() }
        let table = try makeProcessorTable()
        let server = RemotingServer(
            configuration: .init(host: c.bindAddress, port: c.listenPort,
                                 channelIdleTimeout: .seconds(Int64(c.serverChannelMaxIdleTimeSeconds)),
                                 frameReadTimeout: c.serverFrameReadTimeoutSeconds > 0
                                     ? .seconds(Int64(c.serverFrameReadTimeoutSeconds)) : nil,
                                 maxConnections: c.serverMaxConnections,
                                 socketSendBufferSize: c.serverSocketSndBufSize,
                                 socketReceiveBufferSize: c.serverSocketRcvBufSize, tls: serverTLS),
            processors: table, group: group, logger: logger, rpcHook: acl,
            latencyRecorder: metrics.enabled ? metrics.rpcLatency : nil)
        server.addChannelCloseListener { [weak self] channel in self?.clientChannelClosed(channel) }
        let port = try await server.start()
        serverBox.withLock { $0 = server }
        if c.listenPort == 0 {
            // Bound to an ephemeral port (tests): register and store the real one.
            let updated = configBox.withLock { box -> BrokerConfig in
                var cfg = box.value
                cfg.listenPort = port
                box = ConfigSnapshot(cfg)
                return cfg
            }
            storeHostBox.withLock {
                $0 = SocketAddressBytes(ipv4HostPort: updated.brokerAddr) ?? SocketAddressBytes(address: [127, 0, 0, 1], port: Int32(port))
            }
        }
        if let metricsServer {
            let host = c.resolvedMetricsPromExporterHost
            do {
                try await metricsServer.start(host: host, port: c.metricsPromExporterPort)
            } catch {
                await server.shutdown()
                throw BrokerError.metricsExporterFailed(host: host, port: c.metricsPromExporterPort, reason: "\(error)")
            }
        }
        lifecycle.withLock { $0.started = true }
        await registerBrokerAll()
        startPeriodicTasks()
        startPluginServices()
        if let acl { startAclWatch(acl.manager) }
        return port
    }

    public var server: RemotingServer? { serverBox.withLock { $0 } }
    /// The port `GET /metrics` is served on (PROM only, once started).
    public var metricsPort: Int? { metricsServer?.localPort }

    /// Unregisters, stops listening, persists state, stops plugins and closes the store.
    public func shutdown() async {
        let (wasStarted, tasks) = lifecycle.withLock { l -> (Bool, [Task<Void, Never>]) in
            let r = (l.started, l.tasks)
            l.started = false
            l.tasks = []
            return r
        }
        guard wasStarted else { return }
        for t in tasks { t.cancel() }
        for t in tasks { await t.value }
        let c = config
        await outerAPI.unregisterBrokerAll(namesrvAddrs: c.namesrvAddrList, clusterName: c.brokerClusterName,
                                           brokerAddr: c.brokerAddr, brokerName: c.brokerName, brokerID: c.brokerId)
        pullHold.wakeAll()
        await server?.shutdown()
        await metricsServer?.shutdown()
        consumerOffsetManager.persist(force: true)
        topicConfigManager.persist()
        subscriptionGroupManager.persist()
        for plugin in plugins.reversed() { await plugin.shutdown() }
        store.shutdown()
        await namesrvClient.shutdown()
        logger.info("broker shut down cleanly")
    }

    /// `Service`: start, run until graceful shutdown, shut down.
    public func run() async throws {
        if !lifecycle.withLock({ $0.started }) { try await start() }
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                try? await Task.sleep(nanoseconds: 200_000_000)
            }
        } onGracefulShutdown: {
            self.logger.info("broker shutting down")
        }
        await shutdown()
    }

    /// Registers the topic config with every name server (also after topic changes).
    public func registerBrokerAll() async {
        let c = config
        guard !c.namesrvAddrList.isEmpty else { return }
        var wrapper = topicConfigManager.wrapper()
        if !PermName.isWriteable(c.brokerPermission) || !PermName.isReadable(c.brokerPermission) {
            for (k, var t) in wrapper.topicConfigTable {
                t.perm &= c.brokerPermission
                wrapper.topicConfigTable[k] = t
            }
        }
        let result = await outerAPI.registerBrokerAll(
            namesrvAddrs: c.namesrvAddrList, clusterName: c.brokerClusterName, brokerAddr: c.brokerAddr,
            brokerName: c.brokerName, brokerID: c.brokerId, haServerAddr: haServerAddr, wrapper: wrapper)
        if c.store.brokerRole == .slave, let result {
            // Upstream: the master's HA address is learned from the name server unless configured.
            if c.store.haMasterAddress.isEmpty, let ha = result.haServerAddr, !ha.isEmpty {
                store.updateHaMasterAddress(ha)
            }
            slaveSynchronize.masterAddr = result.masterAddr
        }
    }

    /// `brokerIP2:haPort`, the address slaves replicate from.
    public var haServerAddr: String {
        let c = config
        let port = haPortBox.withLock { $0 }
        return "\(c.brokerIP2):\(port > 0 ? port : c.resolvedHAListenPort)"
    }

    /// Adds a task that shutdown cancels and awaits.
    func addLifecycleTask(_ task: Task<Void, Never>) { lifecycle.withLock { $0.tasks.append(task) } }

    /// Plugin services run as tasks owned by the broker and are cancelled at shutdown.
    func startPluginServices() {
        let logger = self.logger
        let tasks = extensions.services.map { service in
            Task {
                do { try await service.run() } catch is CancellationError {} catch {
                    logger.error("plugin service \(type(of: service)) failed: \(error)")
                }
            }
        }
        lifecycle.withLock { $0.tasks.append(contentsOf: tasks) }
    }

    func startPeriodicTasks() {
        let c = config
        var tasks: [Task<Void, Never>] = []
        tasks.append(periodic(everyMillis: c.registerNameServerPeriod) { await $0.registerBrokerAll() })
        tasks.append(periodic(everyMillis: c.consumerOffsetPersistInterval) { b in
            b.consumerOffsetManager.persist()
        })
        tasks.append(periodic(everyMillis: 10_000) { b in b.scanNotActiveChannels() })
        if c.store.brokerRole == .slave {
            tasks.append(periodic(everyMillis: 10_000, initialMillis: 3_000) { b in await b.slaveSynchronize.syncAll(into: b) })
            // A slave that started before its master registered would otherwise wait a whole
            // registerNameServerPeriod (30 s) to learn where to replicate from.
            tasks.append(periodic(everyMillis: 3_000) { b in
                if b.slaveSynchronize.masterAddr == nil { await b.registerBrokerAll() }
            })
        }
        tasks.append(periodic(everyMillis: c.transactionCheckInterval) { b in
            if b.config.store.brokerRole != .slave { await TransactionalMessageCheckService(broker: b, logger: b.logger).check() }
        })
        tasks.append(periodic(everyMillis: c.longPollingEnable ? 100 : c.shortPollingTimeMills) { b in
            b.pullHold.checkExpired()
        })
        lifecycle.withLock { $0.tasks.append(contentsOf: tasks) }
    }

    private func periodic(everyMillis: Int64, initialMillis: Int64? = nil,
                          _ body: @escaping @Sendable (BrokerController) async -> Void) -> Task<Void, Never> {
        Task { [weak self] in
            var delay = initialMillis ?? everyMillis
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(max(1, delay)) * 1_000_000)
                delay = everyMillis
                guard let self, !Task.isCancelled else { return }
                await body(self)
            }
        }
    }

    func scanNotActiveChannels() {
        let c = config
        let dead = consumerManager.scanNotActiveChannels(expiredMillis: c.clientChannelExpiredTimeout,
                                                        notify: c.notifyConsumerIdsChangedEnable)
            + producerManager.scanNotActiveChannels(expiredMillis: c.clientChannelExpiredTimeout)
        for ch in dead { ch.close(promise: nil) }
    }

    func clientChannelClosed(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        consumerManager.channelClosed(id, notify: config.notifyConsumerIdsChangedEnable)
        producerManager.channelClosed(id)
    }

    /// Tells every member of a group to rebalance (oneway NOTIFY_CONSUMER_IDS_CHANGED, JSON as C++ needs).
    func notifyConsumerIdsChanged(group: String, channels: [any Channel]) {
        guard config.notifyConsumerIdsChangedEnable,
              subscriptionGroupManager.find(group)?.notifyConsumerIdsChangedEnable ?? true
        else { return }
        let request = RemotingCommand.request(.notifyConsumerIdsChanged,
                                              header: NotifyConsumerIdsChangedRequestHeader(consumerGroup: group))
        for ch in channels where ch.isActive {
            Task { try? await PendingResponses.invokeOneway(request, on: ch) }
        }
    }

    /// Stores a message through the plugin hooks.
    public func putMessage(_ message: MessageExtBrokerInner, waitStoreMsgOK: Bool = true) async -> PutMessageResult {
        var message = message
        for hook in extensions.putMessageHooks {
            if let refused = hook.executeBeforePutMessage(&message) { return refused }
        }
        if waitStoreMsgOK { return await store.putMessage(message) }
        return store.putMessageWithoutFlushWait(message)
    }

    /// Stores a message through the plugin hooks without waiting for the disk or a slave (the inline
    /// send path, taken only when the store would not wait anyway).
    func putMessageNow(_ message: MessageExtBrokerInner) -> PutMessageResult {
        var message = message
        for hook in extensions.putMessageHooks {
            if let refused = hook.executeBeforePutMessage(&message) { return refused }
        }
        return store.putMessageWithoutFlushWait(message)
    }

    /// Stores a batch through the plugin hooks, member by member (at-rest compression applies to each).
    public func putMessages(_ batch: MessageExtBatch) async -> PutMessageResult {
        var batch = batch
        if let refused = applyBatchHooks(&batch) { return refused }
        return await store.putMessages(batch)
    }

    func putMessagesNow(_ batch: MessageExtBatch) -> PutMessageResult {
        var batch = batch
        if let refused = applyBatchHooks(&batch) { return refused }
        return store.putMessagesWithoutFlushWait(batch)
    }

    private func applyBatchHooks(_ batch: inout MessageExtBatch) -> PutMessageResult? {
        for hook in extensions.putMessageHooks {
            for i in batch.messages.indices {
                if let refused = hook.executeBeforePutBatchMember(&batch.messages[i]) { return refused }
            }
        }
        return nil
    }

    func updateConfig(_ pairs: [(key: String, value: String)]) throws(ConfigError) {
        var c = config
        _ = try BrokerConfig.binder.apply(pairs, to: &c)
        try c.validate()
        let updated = c
        configBox.withLock { $0 = ConfigSnapshot(updated) }
    }

    /// The body codec plugins registered for a compression type value (sysflag bits 8–10), if any.
    public func compressor(forType value: Int32) -> (any Compressor)? { try? compressors.compressor(forValue: value) }

    public func runtimeInfo() -> [String: String] {
        var info = store.runtimeInfo
        let c = config
        info["brokerVersionDesc"] = "V4_9_8"
        info["brokerVersion"] = String(MQVersion.currentVersion)
        info["msgPutTotalTodayNow"] = info["msgPutTotalTodayNow"] ?? "0"
        info["commitLogMaxOffset"] = String(store.maxPhyOffset)
        info["commitLogMinOffset"] = String(store.minPhyOffset)
        info["brokerName"] = c.brokerName
        info["brokerAddr"] = c.brokerAddr
        info["pullHoldCount"] = String(pullHold.parkedCount)
        info["plugins"] = plugins.map(\.name).joined(separator: ",")
        for p in plugins { p.collectRuntimeInfo(into: &info) }
        return info
    }
}

/// Broker-level failures at start-up.
public enum BrokerError: Error, CustomStringConvertible {
    case duplicatePlugin(String)
    case storeLoadFailed
    /// The PROM exporter could not listen (port taken, bad host).
    case metricsExporterFailed(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .duplicatePlugin(let n): return "broker plugin '\(n)' is listed twice"
        case .storeLoadFailed: return "the message store failed to load; see broker.log"
        case .metricsExporterFailed(let host, let port, let reason):
            return "cannot serve metrics on metricsPromExporterHost:metricsPromExporterPort (\(host):\(port)): \(reason)"
        }
    }
}

/// Lets objects built before the controller reach it.
final class BrokerBox: Sendable {
    private let ref = Mutex<BrokerController?>(nil)
    func set(_ b: BrokerController) { ref.withLock { $0 = b } }
    var broker: BrokerController? { ref.withLock { $0 } }
}

/// Wakes long polls when the reput service dispatches a message.
struct ArrivingListener: MessageArrivingListener {
    let hold: PullRequestHoldService
    func arriving(topic: String, queueID: Int32, logicOffset: Int64, tagsCode: Int64, storeTimestamp: Int64,
                  properties: [String: String]) {
        hold.notifyMessageArriving(topic: topic, queueID: queueID, maxOffset: logicOffset + 1, tagsCode: tagsCode,
                                   properties: properties)
    }
}

/// The broker's request lanes (Java's per-code thread pools).
struct BrokerLanes: Sendable {
    let send = ExecutionLane(name: "send", capacity: 10_000)
    let pull = ExecutionLane(name: "pull", capacity: 100_000)
    let heartbeat = ExecutionLane(name: "heartbeat", capacity: 10_000)
    let admin = ExecutionLane(name: "admin", capacity: 10_000)
    let query = ExecutionLane(name: "query", capacity: 1_000)
}

/// One immutable version of the broker's configuration (replaced whole by `updateBrokerConfig`).
public final class ConfigSnapshot: Sendable {
    public let value: BrokerConfig
    init(_ value: BrokerConfig) { self.value = value }
}
