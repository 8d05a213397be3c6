//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQMetrics
import RocketMQRemoting
import RocketMQStore

#if canImport(Glibc)
import Glibc
#endif

/// Broker settings: upstream's `BrokerConfig`, `NettyServerConfig` and `MessageStoreConfig` keys in one
/// value, so `-c broker.conf`, `-p`, `-m` and UPDATE_BROKER_CONFIG share one table.
public struct BrokerConfig: Sendable {
    public var rocketmqHome = getenvString(MixAll.rocketmqHomeEnv) ?? ""
    public var namesrvAddr = getenvString(MixAll.namesrvAddrEnv) ?? ""
    public var brokerIP1 = MessageClientIDSetter.localIPv4String()
    public var brokerIP2 = MessageClientIDSetter.localIPv4String()
    public var brokerName = BrokerConfig.localHostName()
    public var brokerClusterName = "DefaultCluster"
    public var brokerId: Int64 = 0
    public var brokerPermission: Int32 = 6
    public var listenPort = 10911
    public var bindAddress = "0.0.0.0"
    public var defaultTopicQueueNums: Int32 = 8
    public var autoCreateTopicEnable = true
    public var clusterTopicEnable = true
    public var brokerTopicEnable = true
    public var autoCreateSubscriptionGroup = true
    public var messageStorePlugIn = ""
    public var enablePropertyFilter = false
    public var filterSupportRetry = false
    public var longPollingEnable = true
    public var shortPollingTimeMills: Int64 = 1000
    public var notifyConsumerIdsChangedEnable = true
    public var registerNameServerPeriod: Int64 = 30_000
    public var regionId = "DefaultRegion"
    public var traceOn = true
    public var rejectTransactionMessage = false
    /// Keep replies in `<cluster>_REPLY_TOPIC` as well as pushing them (Java `storeReplyMessageEnable`, true).
    public var storeReplyMessageEnable = true
    /// Create the message-trace topic at start (Java `traceTopicEnable`, false).
    public var traceTopicEnable = false
    /// The topic trace records go to (Java `msgTraceTopicName`).
    public var msgTraceTopicName = TopicValidator.rmqSysTraceTopic
    public var transactionTimeOut: Int64 = 6000
    public var transactionCheckMax: Int32 = 15
    public var transactionCheckInterval: Int64 = 60_000
    public var channelNotActiveInterval: Int64 = 60_000
    public var clientChannelExpiredTimeout: Int64 = 120_000
    public var serverChannelMaxIdleTimeSeconds = 120
    /// SO_SNDBUF / SO_RCVBUF of accepted sockets; 0 = system default (upstream `NettyServerConfig`).
    public var serverSocketSndBufSize = 0
    public var serverSocketRcvBufSize = 0
    /// Ours (upstream has no such guard): a frame must arrive whole this long after its first byte, else
    /// the connection is closed (slowloris); 0 = no limit.
    public var serverFrameReadTimeoutSeconds = 30
    /// Ours: connections beyond this many are closed on accept; 0 = no limit but file descriptors.
    public var serverMaxConnections = 0
    public var sendThreadPoolQueueCapacity = 10_000
    public var pullThreadPoolQueueCapacity = 100_000
    public var adminBrokerThreadPoolQueueCapacity = 10_000
    public var consumerOffsetPersistInterval: Int64 = 5000
    public var brokerPlugins = "compression,delayLevel"
    public var compressionAtRest = ""
    public var compressionAtRestThreshold = 4096
    public var timerMaxDelaySec: Int64 = 3 * 24 * 3600
    /// Slaves serve pulls and masters suggest them to slow consumers (Java `slaveReadEnable`).
    public var slaveReadEnable = false
    /// Check every request against `conf/plain_acl.yml` (Java `aclEnable`; see BrokerController+Acl).
    public var aclEnable = false
    public var store = MessageStoreConfig(storePathRootDir: expandTilde("~/store"))
    /// Metrics (upstream 5.x keys; see BrokerConfig+Metrics.swift): DISABLE or PROM.
    public var metricsExporterType = "DISABLE"
    /// Where PROM serves `GET /metrics`; empty = brokerIP1 (as upstream).
    public var metricsPromExporterHost = ""
    public var metricsPromExporterPort = 5557
    /// Extra labels on every series, `k1:v1,k2:v2`.
    public var metricsLabel = ""
    /// Adds `aggregation="delta"` (upstream's marker); values stay cumulative under PROM.
    public var metricsInDelta = false
    /// The `tls.*` keys (broker.conf lines, `-D` flags, `tls.config.file`); not in ``binder``, so `-p`
    /// never prints a key password. Filled by ``BrokerStartup/loadConfig(_:)``.
    public var tls = TLSSystemConfig()

    public init() {}

    public var brokerAddr: String { "\(brokerIP1):\(listenPort)" }
    /// The HA port to bind: `haListenPort` when set, else listenPort + 1 (0 while listenPort is ephemeral).
    public var resolvedHAListenPort: Int {
        if store.haListenPort >= 0 { return store.haListenPort }
        return listenPort == 0 ? 0 : listenPort + 1
    }
    public var namesrvAddrList: [String] { namesrvAddr.split(separator: ";").map { $0.trimmingChars(" ") }.filter { !$0.isEmpty } }
    public var enabledPlugins: [String] { brokerPlugins.split(separator: ",").map { $0.trimmingChars(" ") }.filter { !$0.isEmpty } }

    static func localHostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, 255) == 0 else { return "broker-a" }
        return String(cString: buffer)
    }

    public static let binder: ConfigBinder<BrokerConfig> = {
        typealias K = ConfigKey<BrokerConfig>
        var keys: [K] = [
            .string("rocketmqHome", \.rocketmqHome),
            .string("namesrvAddr", \.namesrvAddr, important: true),
            .string("brokerIP1", \.brokerIP1, important: true),
            .string("brokerIP2", \.brokerIP2),
            .string("brokerName", \.brokerName, important: true),
            .string("brokerClusterName", \.brokerClusterName, important: true),
            .int("brokerId", \.brokerId, range: 0...1024, important: true),
            .int("brokerPermission", \.brokerPermission, range: 0...15),
            .int("listenPort", \.listenPort, range: 0...65535, important: true),
            .string("bindAddress", \.bindAddress),
            .int("defaultTopicQueueNums", \.defaultTopicQueueNums, range: 1...1024),
            .bool("autoCreateTopicEnable", \.autoCreateTopicEnable, important: true),
            .bool("clusterTopicEnable", \.clusterTopicEnable),
            .bool("brokerTopicEnable", \.brokerTopicEnable),
            .bool("autoCreateSubscriptionGroup", \.autoCreateSubscriptionGroup, important: true),
            .string("messageStorePlugIn", \.messageStorePlugIn),
            .bool("enablePropertyFilter", \.enablePropertyFilter, important: true),
            .bool("filterSupportRetry", \.filterSupportRetry),
            .bool("longPollingEnable", \.longPollingEnable),
            .int("shortPollingTimeMills", \.shortPollingTimeMills, range: 1...60_000),
            .bool("notifyConsumerIdsChangedEnable", \.notifyConsumerIdsChangedEnable),
            .int("registerNameServerPeriod", \.registerNameServerPeriod, range: 100...600_000),
            .string("regionId", \.regionId),
            .bool("traceOn", \.traceOn),
            .bool("rejectTransactionMessage", \.rejectTransactionMessage),
            .bool("storeReplyMessageEnable", \.storeReplyMessageEnable),
            .bool("traceTopicEnable", \.traceTopicEnable),
            .string("msgTraceTopicName", \.msgTraceTopicName),
            .int("transactionTimeOut", \.transactionTimeOut, range: 0...Int64.max),
            .int("transactionCheckMax", \.transactionCheckMax, range: 1...10_000),
            .int("transactionCheckInterval", \.transactionCheckInterval, range: 10...Int64.max),
            .int("channelNotActiveInterval", \.channelNotActiveInterval, range: 10...Int64.max),
            .int("clientChannelExpiredTimeout", \.clientChannelExpiredTimeout, range: 100...Int64.max),
            .int("serverChannelMaxIdleTimeSeconds", \.serverChannelMaxIdleTimeSeconds, range: 1...86_400),
            .int("serverSocketSndBufSize", \.serverSocketSndBufSize, range: 0...(64 << 20)),
            .int("serverSocketRcvBufSize", \.serverSocketRcvBufSize, range: 0...(64 << 20)),
            .int("serverFrameReadTimeoutSeconds", \.serverFrameReadTimeoutSeconds, range: 0...86_400),
            .int("serverMaxConnections", \.serverMaxConnections, range: 0...10_000_000),
            .int("sendThreadPoolQueueCapacity", \.sendThreadPoolQueueCapacity, range: 1...10_000_000),
            .int("pullThreadPoolQueueCapacity", \.pullThreadPoolQueueCapacity, range: 1...10_000_000),
            .int("adminBrokerThreadPoolQueueCapacity", \.adminBrokerThreadPoolQueueCapacity, range: 1...10_000_000),
            .int("consumerOffsetPersistInterval", \.consumerOffsetPersistInterval, range: 10...Int64.max),
            .string("brokerPlugins", \.brokerPlugins, important: true),
            .choice("compressionAtRest", \.compressionAtRest, ["", "zlib", "lz4"]),
            .int("compressionAtRestThreshold", \.compressionAtRestThreshold, range: 0...Int.max),
            .int("timerMaxDelaySec", \.timerMaxDelaySec, range: 1...Int64.max),
            .bool("slaveReadEnable", \.slaveReadEnable),
            .bool("aclEnable", \.aclEnable, important: true),
            .choice("metricsExporterType", \.metricsExporterType, MetricsExporterType.allNames),
            .string("metricsPromExporterHost", \.metricsPromExporterHost),
            .int("metricsPromExporterPort", \.metricsPromExporterPort, range: 0...65535),
            .string("metricsLabel", \.metricsLabel),
            .bool("metricsInDelta", \.metricsInDelta),
            // Store keys (MessageStoreConfig).
            .string("storePathRootDir", \.store.storePathRootDir, important: true),
            K("storePathCommitLog", important: true, get: { $0.store.storePathCommitLog },
              set: { root, v in root.store.storePathCommitLog = v }),
            .int("mapedFileSizeCommitLog", \.store.mappedFileSizeCommitLog, range: 4096...(Int(Int32.max))),
            .int("mappedFileSizeCommitLog", \.store.mappedFileSizeCommitLog, range: 4096...(Int(Int32.max))),
            .int("mapedFileSizeConsumeQueue", \.store.mappedFileSizeConsumeQueue, range: 20...(Int(Int32.max))),
            .int("flushIntervalCommitLog", \.store.flushIntervalCommitLog, range: 1...60_000),
            .int("flushCommitLogLeastPages", \.store.flushCommitLogLeastPages, range: 0...1_000_000),
            .int("flushCommitLogThoroughInterval", \.store.flushCommitLogThoroughInterval, range: 1...Int.max),
            .int("flushIntervalConsumeQueue", \.store.flushIntervalConsumeQueue, range: 1...60_000),
            .int("syncFlushTimeout", \.store.syncFlushTimeout, range: 1...600_000),
            .int("fileReservedTime", \.store.fileReservedTime, range: 0...100_000, important: true),
            .string("deleteWhen", \.store.deleteWhen, important: true),
            .int("diskMaxUsedSpaceRatio", \.store.diskMaxUsedSpaceRatio, range: 10...95),
            .int("maxMessageSize", \.store.maxMessageSize, range: 1...(64 * 1024 * 1024), important: true),
            .int("maxTransferCountOnMessageInMemory", \.store.maxTransferCountOnMessageInMemory, range: 1...100_000),
            .int("maxTransferBytesOnMessageInMemory", \.store.maxTransferBytesOnMessageInMemory, range: 1...Int.max),
            .int("maxTransferCountOnMessageInDisk", \.store.maxTransferCountOnMessageInDisk, range: 1...100_000),
            .int("maxTransferBytesOnMessageInDisk", \.store.maxTransferBytesOnMessageInDisk, range: 1...Int.max),
            .bool("messageIndexEnable", \.store.messageIndexEnable),
            .int("maxHashSlotNum", \.store.maxHashSlotNum, range: 1...100_000_000),
            .int("maxIndexNum", \.store.maxIndexNum, range: 1...1_000_000_000),
            .bool("checkCRCOnRecover", \.store.checkCRCOnRecover),
            .string("messageDelayLevel", \.store.messageDelayLevel),
            .int("accessMessageInMemoryMaxRatio", \.store.accessMessageInMemoryMaxRatio, range: 0...100),
            .bool("offsetCheckInSlave", \.store.offsetCheckInSlave),
            // Replication (HA) keys.
            .int("haListenPort", \.store.haListenPort, range: -1...65535),
            .string("haMasterAddress", \.store.haMasterAddress),
            .int("haSendHeartbeatInterval", \.store.haSendHeartbeatInterval, range: 100...600_000),
            .int("haHousekeepingInterval", \.store.haHousekeepingInterval, range: 1000...3_600_000),
            .int("haTransferBatchSize", \.store.haTransferBatchSize, range: 1024...(64 * 1024 * 1024)),
            .int("haSlaveFallbehindMax", \.store.haSlaveFallbehindMax, range: 0...Int64.max),
            .int("haMaxGapNotInSync", \.store.haSlaveFallbehindMax, range: 0...Int64.max),
            K("brokerRole", important: true, get: { $0.store.brokerRole.rawValue }, set: { (root, v) throws(ConfigError) in
                guard let r = BrokerRole(rawValue: v.trimmingChars(" ")) else {
                    throw ConfigError(key: "brokerRole", value: v, reason: "expected ASYNC_MASTER, SYNC_MASTER or SLAVE")
                }
                root.store.brokerRole = r
            }),
            K("flushDiskType", important: true, get: { $0.store.flushDiskType.rawValue }, set: { (root, v) throws(ConfigError) in
                guard let t = FlushDiskType(rawValue: v.trimmingChars(" ")) else {
                    throw ConfigError(key: "flushDiskType", value: v, reason: "expected ASYNC_FLUSH or SYNC_FLUSH")
                }
                root.store.flushDiskType = t
            }),
        ]
        keys.sort { $0.name < $1.name }
        return ConfigBinder(keys)
    }()

    /// Checks relations between keys that single-key parsing cannot.
    public func validate() throws(ConfigError) {
        if let bad = store.delayLevelMillisValidation() { throw ConfigError(key: "messageDelayLevel", value: store.messageDelayLevel, reason: bad) }
        if brokerName.isEmpty { throw ConfigError(key: "brokerName", value: "", reason: "must not be empty") }
        if store.brokerRole == .slave && brokerId <= 0 {
            throw ConfigError(key: "brokerId", value: String(brokerId), reason: "Slave's brokerId must be > 0")
        }

        try validateMetrics()
        if let remark = TopicValidator.validate(brokerClusterName) {
            throw ConfigError(key: "brokerClusterName", value: brokerClusterName, reason: remark)
        }
    }
}

extension MessageStoreConfig {
    /// nil when `messageDelayLevel` parses; else the reason.
    func delayLevelMillisValidation() -> String? {
        for token in messageDelayLevel.split(separator: " ") {
            guard let unit = token.last, "smhd".contains(unit), Int64(token.dropLast()) != nil else {
                return "each level must be a number followed by s, m, h or d (got '\(token)')"
            }
        }
        return nil
    }
}
