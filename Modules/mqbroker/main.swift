//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import Logging
import RocketMQBroker
import RocketMQCommon
import RocketMQCompression
import RocketMQCompressionPlugin
import RocketMQDelayLevelPlugin
import RocketMQNamesrv
import RocketMQRemoting
import ServiceLifecycle

/// `mqbroker`: starts a RocketMQ broker (upstream's `BrokerStartup`). `--standalone` also runs a name
/// server in the same process, making one process a complete one-machine RocketMQ.
@main
struct MQBroker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mqbroker", abstract: "Start a RocketMQ broker (default port 10911).")

    @Option(name: .customShort("c"), help: "Broker config properties file.")
    var configFile: String?

    @Option(name: .customShort("n"), help: "Name server address list, e.g. '192.168.0.1:9876;192.168.0.2:9876'.")
    var namesrvAddr: String?

    @Flag(name: .customShort("p"), help: "Print all config items and exit.")
    var printConfigItem = false

    @Flag(name: .customShort("m"), help: "Print important config items and exit.")
    var printImportantConfig = false

    @Flag(name: .long, help: "Also run a name server in this process (on 9876 unless --namesrv-port).")
    var standalone = false

    @Option(name: .long, help: "Name server port for --standalone.")
    var namesrvPort: Int = 9876

    @Option(name: .customShort("D"),
            help: ArgumentHelp("A system property, e.g. -Dtls.server.mode=enforcing -Dtls.enable=true (tls.* keys are read).",
                               valueName: "key=value"))
    var systemProperties: [String] = []

    /// The built-in plugins; `brokerPlugins=` in broker.conf picks which run.
    static let availablePlugins: [any BrokerPlugin] = [CompressionPlugin(), DelayLevelPlugin()]

    static func main() async {
        NIOConcurrencyExecutor.installUnlessDisabled()
        await Self.main(SystemProperties.separatingJoinedFlags(Array(CommandLine.arguments.dropFirst())))
    }

    func run() async throws {
        var options = BrokerStartup.Options()
        options.configFile = configFile
        options.namesrvAddr = namesrvAddr ?? (standalone ? "127.0.0.1:\(namesrvPort)" : nil)
        options.printConfigItem = printConfigItem
        options.printImportantConfig = printImportantConfig
        options.systemProperties = systemProperties.map(SystemProperties.parse)
        var extra: [any Service] = []
        var namesrv: NamesrvController? = nil
        if standalone && !printConfigItem && !printImportantConfig {
            RocketMQLogHandler.bootstrap(fileName: "broker.log", echoToStdout: false)
            var nsConfig = NamesrvConfig()
            nsConfig.listenPort = namesrvPort
            do {
                // The in-process name server takes the -D tls.* flags and tls.config.file too.
                try nsConfig.tls.apply(options.systemProperties)
                _ = try nsConfig.tls.loadConfigFile()
            } catch {
                Console.err("mqbroker: \(error)")
                throw ExitCode(1)
            }
            let zlib = ZlibCompressor()
            namesrv = try NamesrvController(config: nsConfig, logger: Logger(label: "RocketmqNamesrv"),
                                            decompress: { try zlib.decompress($0) })
            extra.append(namesrv!)
        }
        let code = try await BrokerStartup.run(options: options, plugins: Self.availablePlugins, extraServices: extra) { _ in
            if let namesrv {
                try await namesrv.start()
                Console.out(NamesrvStartup.bootMessage)
            }
        }
        if code != 0 { throw ExitCode(code) }
    }
}
