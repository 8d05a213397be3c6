//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import RocketMQCommon
import RocketMQCompression
import RocketMQFilter
import RocketMQRemoting
import RocketMQStore
import ServiceLifecycle

/// A broker plugin: contributes hooks, processors, dispatchers, filters, compressors and services while
/// the broker is assembled, then follows the broker's lifecycle (Java `BrokerAttachedPlugin`).
///
/// Order is deterministic: `load` and `start` in list order, `shutdown` in reverse. A broker's role is
/// fixed at start-up (classic master/slave has no role change; Java's `statusChanged` serves controller
/// mode), so plugins read `context.brokerConfig.store.brokerRole` and run master-only work on masters.
public protocol BrokerPlugin: Sendable {
    var name: String { get }
    /// Reads config, restores state and contributes to `extensions`.
    func load(into extensions: inout BrokerExtensions, context: BrokerPluginContext) throws
    /// After store recovery, before listeners open.
    func start() async throws
    /// After listeners close, before the store closes; persist here.
    func shutdown() async
    /// Java `buildRuntimeInfo`.
    func collectRuntimeInfo(into info: inout [String: String])
}

extension BrokerPlugin {
    public func start() async throws {}
    public func shutdown() async {}
    public func collectRuntimeInfo(into info: inout [String: String]) {}
}

/// What the broker gives plugins: configuration, logging, the store, and a way to put messages.
public struct BrokerPluginContext: Sendable {
    public let brokerConfig: BrokerConfig
    public let logger: Logger
    public let store: DefaultMessageStore
    /// The codecs every plugin registered; complete once all plugins have loaded (read it when hooks run).
    public let compressors: BrokerCompressors
    /// Stores a message through the broker's normal put path (hooks included), e.g. to deliver a delayed one.
    public let putMessage: @Sendable (MessageExtBrokerInner) async -> PutMessageResult
    let storeHostProvider: @Sendable () -> SocketAddressBytes
    /// The broker's store-host address, for messages a plugin builds.
    public var storeHost: SocketAddressBytes { storeHostProvider() }
    /// Directory for plugin state files (`<storePathRootDir>/config`).
    public var configDirectory: String { brokerConfig.store.storePathRootDir + "/config" }
}

/// Runs before a message is stored. Returning a result stops the put with that result (a refusal);
/// returning nil continues, possibly with the message rewritten (delay, compression at rest…).
public protocol PutMessageHook: Sendable {
    var hookName: String { get }
    func executeBeforePutMessage(_ message: inout MessageExtBrokerInner) -> PutMessageResult?
    /// Runs for each member of a batch before the batch is stored; a refusal refuses the whole batch.
    /// The members must stay in the batch's topic and queue, so a hook whose rewrite moves messages
    /// (delay and timer scheduling: upstream stores a batch's members as sent) leaves them alone.
    func executeBeforePutBatchMember(_ message: inout MessageExtBrokerInner) -> PutMessageResult?
}

extension PutMessageHook {
    /// By default a batch member goes through the same hook as a single message.
    public func executeBeforePutBatchMember(_ message: inout MessageExtBrokerInner) -> PutMessageResult? {
        executeBeforePutMessage(&message)
    }
}

/// Observes pulls: runs after the store lookup, before the response is sent (Java `ConsumeMessageHook`'s
/// broker-side counterpart). Can rewrite the body for the requesting client (e.g. re-encode a codec it
/// cannot decode).
public protocol PullMessageHook: Sendable {
    var hookName: String { get }
    func pulled(_ context: inout PullHookContext)
}

/// The pull a `PullMessageHook` sees.
public struct PullHookContext: Sendable {
    public let consumerGroup: String
    public let topic: String
    public let queueID: Int32
    public let clientLanguage: LanguageCode
    public let clientVersion: Int32
    /// Concatenated stored messages about to be sent; hooks may replace it.
    public var body: [UInt8]
    public var messageCount: Int
}

/// One piece of plugin state a slave copies from its master every 10 s (Java `SlaveSynchronize`): the
/// request asked of the master, and how to apply its answer's body on the slave.
public struct SlaveSync: Sendable {
    public var name: String
    public var code: RequestCode
    public var apply: @Sendable (ByteBuffer) -> Void

    public init(name: String, code: RequestCode, apply: @escaping @Sendable (ByteBuffer) -> Void) {
        self.name = name
        self.code = code
        self.apply = apply
    }
}

/// Everything plugins contribute, frozen after every `load` has run.
public struct BrokerExtensions: Sendable {
    public var putMessageHooks: [any PutMessageHook] = []
    public var pullMessageHooks: [any PullMessageHook] = []
    public var dispatchers: [any CommitLogDispatcher] = []
    public var processors: [(codes: [RequestCode], processor: any RequestProcessor)] = []
    /// Filter factories by expression type; TAG and SQL92 are bundled, plugins add their own (a
    /// duplicate type fails start-up).
    public var filterFactories: [any MessageFilterFactory] = []
    /// Body codecs by compression type (zlib and lz4 come from the compression plugin); hooks reach the
    /// merged registry through `BrokerPluginContext.compressors`.
    public var compressors = CompressorRegistry()
    public var services: [any Service] = []
    /// State a slave copies from its master besides topics, offsets and groups (e.g. delay offsets, code 45).
    public var slaveSyncs: [SlaveSync] = []

    public init() {}

    public mutating func registerProcessor(_ processor: any RequestProcessor, for codes: RequestCode...) {
        processors.append((codes, processor))
    }
}
