//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import RocketMQRemoting
import ServiceLifecycle

/// What `mqbroker` does, reusable by custom broker executables that add their own plugins
/// (Java `BrokerStartup`).
public enum BrokerStartup {
    public struct Options: Sendable {
        public var configFile: String?
        public var namesrvAddr: String?
        public var printConfigItem = false
        public var printImportantConfig = false
        public var overrides: [(key: String, value: String)] = []
        /// `-Dkey=value` flags; the `tls.*` ones are read, others ignored as a JVM would.
        public var systemProperties: [(key: String, value: String)] = []
        public init() {}
    }

    /// Defaults, then `-c file`, then `-n`; `tls.*` keys from `-c file`, then `-D` flags, then
    /// `tls.config.file` (whose values win, as upstream's). Unknown keys are returned for a warning; a bad
    /// value throws naming the key.
    public static func loadConfig(_ options: Options) throws -> (BrokerConfig, unknownKeys: [String]) {
        var config = BrokerConfig()
        var unknown: [String] = []
        var pairs: [(key: String, value: String)] = []
        if let file = options.configFile {
            guard let text = FileIO.readString(file) else { throw FileIOError(path: file, reason: "cannot read config file") }
            pairs = PropertiesFile.parse(text)
            unknown = try BrokerConfig.binder.apply(pairs.filter { !TLSSystemConfig.isTLSKey($0.key) }, to: &config)
            unknown += try config.tls.apply(pairs)
        }
        unknown += try BrokerConfig.binder.apply(options.overrides, to: &config)
        unknown += try config.tls.apply(options.systemProperties)
        unknown += try config.tls.loadConfigFile().unknownKeys
        if let n = options.namesrvAddr { config.namesrvAddr = n }
        let explicitIP = (pairs + options.overrides).contains { $0.key == "brokerIP1" }
        if !explicitIP && !config.namesrvAddrList.isEmpty && config.namesrvAddrList.allSatisfy(isLoopback) {
            // Only local clients can reach a broker whose name servers are on loopback: advertise loopback.
            config.brokerIP1 = "127.0.0.1"
            config.brokerIP2 = "127.0.0.1"
        }
        try config.validate()
        return (config, unknown)
    }

    static func isLoopback(_ hostPort: String) -> Bool {
        let host = hostPort.split(separator: ":").first.map(String.init) ?? hostPort
        return host == "localhost" || host.hasPrefix("127.") || host == "::1"
    }

    public static func printConfig(_ config: BrokerConfig, importantOnly: Bool, plugins: [String]) {
        for (k, v) in BrokerConfig.binder.render(config, importantOnly: importantOnly) { Console.out("\(k)=\(v)") }
        Console.out("# broker plugins available: \(plugins.joined(separator: ", "))")
        Console.out("# broker plugins enabled: \(config.enabledPlugins.joined(separator: ", "))")
    }

    public static func bootMessage(_ config: BrokerConfig) -> String {
        "The broker[\(config.brokerName), \(config.brokerAddr)] boot success. serializeType=JSON"
            + (config.namesrvAddr.isEmpty ? "" : " and name server is \(config.namesrvAddr)")
    }

    /// Picks the plugins named by `brokerPlugins` from those available, in the configured order.
    public static func selectPlugins(_ available: [any BrokerPlugin], config: BrokerConfig) throws -> [any BrokerPlugin] {
        var chosen: [any BrokerPlugin] = []
        for name in config.enabledPlugins {
            guard let p = available.first(where: { $0.name == name }) else {
                throw ConfigError(key: "brokerPlugins", value: config.brokerPlugins,
                                  reason: "no plugin named '\(name)' (available: \(available.map(\.name).joined(separator: ", ")))")
            }
            chosen.append(p)
        }
        return chosen
    }

    /// Starts a broker with the given plugins and runs it (and any extra services) until SIGTERM/SIGINT.
    public static func run(options: Options, plugins available: [any BrokerPlugin], extraServices: [any Service] = [],
                           beforeStart: (BrokerConfig) async throws -> Void = { _ in }) async throws -> Int32 {
        let config: BrokerConfig
        let unknown: [String]
        do {
            (config, unknown) = try loadConfig(options)
        } catch {
            Console.err("mqbroker: \(error)")
            return 1
        }
        if options.printConfigItem || options.printImportantConfig {
            printConfig(config, importantOnly: options.printImportantConfig && !options.printConfigItem,
                        plugins: available.map(\.name))
            return 0
        }
        RocketMQLogHandler.bootstrap(fileName: "broker.log", echoToStdout: false)
        let logger = Logger(label: "RocketmqBroker")
        for key in unknown { logger.warning("unknown config key '\(key)' ignored") }
        if !unknown.isEmpty { Console.err("mqbroker: warning: unknown config keys ignored: \(unknown.joined(separator: ", "))") }
        let broker: BrokerController
        do {
            try await beforeStart(config)
            broker = try BrokerController(config: config, plugins: try selectPlugins(available, config: config), logger: logger)
            try await broker.start()
        } catch {
            Console.err("mqbroker: start failed: \(error)")
            logger.error("start failed: \(error)")
            return 1
        }
        let message = bootMessage(broker.config)
        Console.out(message)
        logger.info("\(message)")
        let group = ServiceGroup(services: extraServices + [broker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
        return 0
    }
}
