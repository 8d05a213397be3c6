//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// TLS settings of servers and clients, upstream's `TlsSystemConfig` keys and defaults.
///
/// Upstream reads these from JVM system properties and then from `tls.config.file`. Here a value, not
/// a global: the executables fill it from `-Dkey=value` flags and `tls.*` lines of broker.conf /
/// namesrv.conf (``apply(_:)``), then from the file (``loadConfigFile()``), whose values win as
/// upstream's do. Empty paths mean "not set".
public struct TLSSystemConfig: Sendable, Equatable {
    /// `tls.server.need.client.auth`: whether a server asks clients for a certificate (upstream
    /// Netty `ClientAuth`).
    public enum ClientAuth: String, Sendable, CaseIterable {
        case none, optional, require
    }

    public static let serverModeKey = "tls.server.mode"
    public static let enableKey = "tls.enable"
    public static let configFileKey = "tls.config.file"
    public static let testModeEnableKey = "tls.test.mode.enable"
    public static let serverNeedClientAuthKey = "tls.server.need.client.auth"
    public static let serverKeyPathKey = "tls.server.keyPath"
    public static let serverKeyPasswordKey = "tls.server.keyPassword"
    public static let serverCertPathKey = "tls.server.certPath"
    public static let serverAuthClientKey = "tls.server.authClient"
    public static let serverTrustCertPathKey = "tls.server.trustCertPath"
    public static let clientKeyPathKey = "tls.client.keyPath"
    public static let clientKeyPasswordKey = "tls.client.keyPassword"
    public static let clientCertPathKey = "tls.client.certPath"
    public static let clientAuthServerKey = "tls.client.authServer"
    public static let clientTrustCertPathKey = "tls.client.trustCertPath"
    /// Upstream's default `tls.config.file`.
    public static let defaultConfigFile = "/etc/rocketmq/tls.properties"

    /// `tls.server.mode`, permissive by default as upstream.
    public var serverMode: TLSMode = .permissive
    /// `tls.enable`: clients (ours, mqadmin, mqbench, broker→name server) connect with TLS. nil = not
    /// set: clients use plaintext, and a broker uses TLS to name servers only when its own mode is
    /// enforcing (upstream `BrokerStartup`).
    public var enable: Bool?
    public var configFile = TLSSystemConfig.defaultConfigFile
    /// `tls.test.mode.enable` (upstream default true): servers use a built-in self-signed certificate
    /// and clients trust any server. Real deployments set it to false and name their certificates.
    public var testModeEnable = true
    public var serverNeedClientAuth: ClientAuth = .none
    public var serverKeyPath = ""
    public var serverKeyPassword = ""
    public var serverCertPath = ""
    /// `tls.server.authClient`: verify client certificates against `tls.server.trustCertPath`
    /// (false: any certificate a client presents is accepted, as upstream).
    public var serverAuthClient = false
    public var serverTrustCertPath = ""
    public var clientKeyPath = ""
    public var clientKeyPassword = ""
    public var clientCertPath = ""
    /// `tls.client.authServer`: verify the server's certificate chain against
    /// `tls.client.trustCertPath` (or the system's roots). Host names are not checked, as upstream.
    public var clientAuthServer = false
    public var clientTrustCertPath = ""

    public init() {}

    /// Whether a client built from this config connects with TLS (`tls.enable`, default false).
    public var clientUsesTLS: Bool { enable ?? false }

    /// Whether a broker's own client (name-server registration, slave sync) uses TLS: `tls.enable`
    /// when set, else whether the server enforces TLS (upstream `BrokerStartup`).
    public var brokerClientUsesTLS: Bool { enable ?? (serverMode == .enforcing) }

    /// True for keys this type owns (`tls.` prefix), so config loaders can route them here.
    public static func isTLSKey(_ key: String) -> Bool { key.hasPrefix("tls.") }

    /// Applies the `tls.*` pairs (others are skipped). Returns `tls.*` keys it does not know, for a
    /// warning; throws on the first bad value, naming the key.
    @discardableResult
    public mutating func apply(_ pairs: [(key: String, value: String)]) throws(ConfigError) -> [String] {
        let tlsPairs = pairs.filter { Self.isTLSKey($0.key) }
        return try Self.binder.apply(tlsPairs, to: &self)
    }

    /// Reads `tls.config.file` over the current values (upstream `TlsHelper.extractTlsConfigFromFile`).
    ///
    /// A missing file at the default path is skipped, as upstream; a missing file that was named
    /// explicitly is an error. `tls.config.file` inside the file is ignored (no chaining).
    /// - Returns: whether a file was read, and the unknown `tls.*` keys in it.
    public mutating func loadConfigFile() throws(ConfigError) -> (loaded: Bool, unknownKeys: [String]) {
        let path = configFile
        guard !path.isEmpty, FileIO.exists(path) else {
            if path.isEmpty || path == Self.defaultConfigFile { return (false, []) }
            throw ConfigError(key: Self.configFileKey, value: path, reason: "no such file")
        }
        guard let text = FileIO.readString(path) else {
            throw ConfigError(key: Self.configFileKey, value: path, reason: "cannot read: \(FileIO.errnoText())")
        }
        let pairs = PropertiesFile.parse(text).filter { $0.key != Self.configFileKey }
        return (true, try apply(pairs))
    }

    /// The settings upstream logs once TLS is set up (`logTheFinalUsedTlsConfig`), without passwords.
    public var loggableSettings: [(key: String, value: String)] {
        Self.binder.render(self).filter { !$0.key.hasSuffix("keyPassword") }
    }

    static let binder: ConfigBinder<TLSSystemConfig> = {
        typealias K = ConfigKey<TLSSystemConfig>
        return ConfigBinder([
            K(serverModeKey, get: { $0.serverMode.rawValue }, set: { (root, v) throws(ConfigError) in
                guard let mode = TLSMode(rawValue: v.trimmingChars(" \t")) else {
                    throw ConfigError(key: serverModeKey, value: v, reason: "expected disabled, permissive or enforcing")
                }
                root.serverMode = mode
            }),
            K(enableKey, get: { $0.enable.map { $0 ? "true" : "false" } ?? "" }, set: { (root, v) throws(ConfigError) in
                root.enable = try parseBool(v, key: enableKey)
            }),
            .string(configFileKey, \.configFile),
            .bool(testModeEnableKey, \.testModeEnable),
            K(serverNeedClientAuthKey, get: { $0.serverNeedClientAuth.rawValue }, set: { (root, v) throws(ConfigError) in
                guard let auth = ClientAuth(rawValue: v.trimmingChars(" \t").lowercased()) else {
                    throw ConfigError(key: serverNeedClientAuthKey, value: v, reason: "expected none, optional or require")
                }
                root.serverNeedClientAuth = auth
            }),
            .string(serverKeyPathKey, \.serverKeyPath),
            .string(serverKeyPasswordKey, \.serverKeyPassword),
            .string(serverCertPathKey, \.serverCertPath),
            .bool(serverAuthClientKey, \.serverAuthClient),
            .string(serverTrustCertPathKey, \.serverTrustCertPath),
            .string(clientKeyPathKey, \.clientKeyPath),
            .string(clientKeyPasswordKey, \.clientKeyPassword),
            .string(clientCertPathKey, \.clientCertPath),
            .bool(clientAuthServerKey, \.clientAuthServer),
            .string(clientTrustCertPathKey, \.clientTrustCertPath),
        ])
    }()

    private static func parseBool(_ v: String, key: String) throws(ConfigError) -> Bool {
        switch v.trimmingChars(" \t").lowercased() {
        case "true": return true
        case "false": return false
        default: throw ConfigError(key: key, value: v, reason: "expected true or false")
        }
    }
}
