//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RocketMQCommon
import RocketMQRemoting

/// Settings shared by producers, consumers and the admin client (Java `ClientConfig`).
///
/// Clients with the same name-server list and instance name share one ``MQClientInstance`` (one
/// connection per broker, one heartbeat loop). Intervals are configurable so tests can run with short
/// ones; the defaults are upstream's.
public struct ClientConfig: Sendable, Equatable {
    /// `;`-separated name-server list, e.g. `"10.0.0.1:9876;10.0.0.2:9876"`. Defaults to `NAMESRV_ADDR`.
    public var namesrvAddr: String
    /// Local address reported to brokers; the first non-loopback IPv4 address by default.
    public var clientIP: String
    /// `"DEFAULT"` is replaced with the process id when the client id is built (as upstream does).
    public var instanceName: String
    public var unitName: String?
    /// How often routes of used topics are re-read from the name server (Java 30 s).
    public var pollNameServerInterval: Duration
    /// How often every broker gets a heartbeat (Java 30 s).
    public var heartbeatBrokerInterval: Duration
    /// How often consumer offsets are persisted (Java 5 s).
    public var persistConsumerOffsetInterval: Duration
    /// How often consumers rebalance queues (Java 20 s).
    public var rebalanceInterval: Duration
    /// Delay after a failed pull before retrying (Java 3 s).
    public var pullTimeDelayWhenException: Duration
    /// RPC timeout for ordinary requests.
    public var mqClientAPITimeoutMillis: Int64
    /// Language stamped on every request.
    ///
    /// `.other` by default (upstream has no Swift code). Brokers treat it like Java for body shapes
    /// (only `.cpp` gets the list-form reset body), and our broker knows an `OTHER` client decodes every
    /// compression codec, so LZ4 bodies reach it as stored instead of re-served plain.
    public var language: LanguageCode
    /// Header codec of requests (brokers answer in the same one). JSON unless `ROCKETMQ_SERIALIZE_TYPE` is
    /// `ROCKETMQ`, as upstream; the binary codec costs less than half as much CPU per request.
    public var serializeType: SerializeType = getenvString("ROCKETMQ_SERIALIZE_TYPE")?.uppercased() == "ROCKETMQ" ? .rocketmq : .json
    /// Base folder of broadcasting consumers' offset files; nil = `ROCKETMQ_CLIENT_LOCAL_OFFSET_STORE_DIR`
    /// or `~/.rocketmq_offsets` (Java `rocketmq.client.localOffsetStoreDir`).
    public var localOffsetStoreDir: String?
    /// Connect to name servers and brokers with TLS (Java `useTLS`, from `-Dtls.enable`); the
    /// `tls.client.*` keys of ``tls`` say how. Off by default.
    public var useTLS = false
    /// TLS client settings (`tls.test.mode.enable`, `tls.client.*`); used only with ``useTLS``.
    public var tls = TLSSystemConfig()

    public init(namesrvAddr: String? = nil, clientIP: String? = nil, instanceName: String = "DEFAULT") {
        self.namesrvAddr = namesrvAddr ?? getenvString(MixAll.namesrvAddrEnv) ?? ""
        self.clientIP = clientIP ?? MessageClientIDSetter.localIPv4String()
        self.instanceName = instanceName
        self.pollNameServerInterval = .seconds(30)
        self.heartbeatBrokerInterval = .seconds(30)
        self.persistConsumerOffsetInterval = .seconds(5)
        self.rebalanceInterval = .seconds(20)
        self.pullTimeDelayWhenException = .seconds(3)
        self.mqClientAPITimeoutMillis = 3000
        self.language = .other
    }

    /// The name-server addresses, trimmed, empty entries dropped.
    public var namesrvAddrList: [String] {
        namesrvAddr.split(separator: ";").map { String($0).trimmingChars(" \t\r\n") }.filter { !$0.isEmpty }
    }

    /// `DEFAULT` becomes the process id, so two processes on a host get different client ids.
    var resolvedInstanceName: String {
        instanceName == "DEFAULT" ? String(getpid()) : instanceName
    }

    /// `clientIP@instanceName[@unitName]` (Java `buildMQClientId`).
    public var clientID: String {
        var id = "\(clientIP)@\(resolvedInstanceName)"
        if let unitName, !unitName.isEmpty { id += "@\(unitName)" }
        return id
    }
}
