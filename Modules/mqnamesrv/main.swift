//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import Logging
import RocketMQCommon
import RocketMQCompression
import RocketMQNamesrv
import RocketMQRemoting
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// `mqnamesrv`: starts a RocketMQ name server (upstream's `NamesrvStartup`).
@main
struct MQNamesrv: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mqnamesrv", abstract: "Start a RocketMQ name server (default port 9876).")

    @Option(name: .customShort("c"), help: "Name server config properties file.")
    var configFile: String?

    @Flag(name: .customShort("p"), help: "Print all config items and exit.")
    var printConfigItem = false

    @Option(name: .customShort("D"),
            help: ArgumentHelp("A system property, e.g. -Dtls.server.mode=enforcing (tls.* keys are read).",
                               valueName: "key=value"))
    var systemProperties: [String] = []

    static func main() async {
        await Self.main(SystemProperties.separatingJoinedFlags(Array(CommandLine.arguments.dropFirst())))
    }

    func run() async throws {
        let config: NamesrvConfig
        let unknown: [String]
        do {
            (config, unknown) = try NamesrvStartup.loadConfig(file: configFile,
                                                              systemProperties: systemProperties.map(SystemProperties.parse))
        } catch {
            Console.err("mqnamesrv: \(error)")
            throw ExitCode(1)
        }
        if printConfigItem {
            NamesrvStartup.printConfig(config)
            return
        }
        RocketMQLogHandler.bootstrap(fileName: "namesrv.log", echoToStdout: false)
        let logger = Logger(label: "RocketmqNamesrv")
        for key in unknown { logger.warning("unknown config key '\(key)' ignored") }
        if !unknown.isEmpty { Console.err("mqnamesrv: warning: unknown config keys ignored: \(unknown.joined(separator: ", "))") }
        let zlib = ZlibCompressor()
        let controller: NamesrvController
        do {
            controller = try NamesrvController(config: config, logger: logger, decompress: { try zlib.decompress($0) })
        } catch {
            Console.err("mqnamesrv: start failed: \(error)")
            logger.error("start failed: \(error)")
            throw ExitCode(1)
        }
        do {
            try await controller.start()
        } catch {
            Console.err("mqnamesrv: cannot listen on \(config.bindAddress):\(config.listenPort): \(error)")
            throw ExitCode(1)
        }
        Console.out(NamesrvStartup.bootMessage)
        logger.info("\(NamesrvStartup.bootMessage) listenPort=\(controller.server.localPort ?? 0)")
        let group = ServiceGroup(services: [controller], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}

