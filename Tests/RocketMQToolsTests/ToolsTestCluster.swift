//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Foundation
import Logging
import NIOCore
import NIOPosix
import RocketMQBroker
import RocketMQClient
import RocketMQCompression
import RocketMQNamesrv
import RocketMQStore
import RocketMQTools
import Testing

/// A name server and one broker on 127.0.0.1 (ephemeral ports, temporary store), in this process.
struct ToolsTestCluster: Sendable {
    let namesrv: NamesrvController
    let broker: BrokerController
    let namesrvAddr: String
    let brokerAddr: String
    let brokerName: String
    let root: String

    static let clusterName = "DefaultCluster"

    static func start(brokerName: String = "broker-a", configure: (inout BrokerConfig) -> Void = { _ in }) async throws
        -> ToolsTestCluster
    {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mqadmin-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var logger = Logger(label: "tools-test")
        logger.logLevel = .critical

        var nsConfig = NamesrvConfig()
        nsConfig.listenPort = 0
        nsConfig.kvConfigPath = root + "/namesrv/kvConfig.json"
        let zlib = ZlibCompressor()
        let namesrv = try NamesrvController(config: nsConfig, logger: logger, decompress: { try zlib.decompress($0) })
        let nsPort = try await namesrv.start()
        let namesrvAddr = "127.0.0.1:\(nsPort)"

        var config = BrokerConfig()
        config.listenPort = 0  // the broker stores (and registers) the port it actually bound
        config.brokerIP1 = "127.0.0.1"
        config.brokerName = brokerName
        config.brokerClusterName = clusterName
        config.namesrvAddr = namesrvAddr
        config.store = MessageStoreConfig(storePathRootDir: root + "/store")
        config.store.mappedFileSizeCommitLog = 4 * 1024 * 1024
        config.store.mappedFileSizeConsumeQueue = 20_000  // 1000 entries
        config.store.maxHashSlotNum = 1000
        config.store.maxIndexNum = 4000
        configure(&config)
        let broker = try BrokerController(config: config, logger: logger)
        let port: Int
        do { port = try await broker.start() } catch {
            await namesrv.shutdown()
            throw error
        }
        return ToolsTestCluster(namesrv: namesrv, broker: broker, namesrvAddr: namesrvAddr,
                                brokerAddr: "127.0.0.1:\(port)", brokerName: brokerName, root: root)
    }

    func shutdown() async {
        await broker.shutdown()
        await namesrv.shutdown()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Runs `body` against a fresh cluster and always shuts it down.
    static func with(_ body: (ToolsTestCluster) async throws -> Void) async throws {
        let cluster = try await start()
        do {
            try await body(cluster)
            await cluster.shutdown()
        } catch {
            await cluster.shutdown()
            throw error
        }
    }

    /// `mqadmin <command> <args...> -n <this name server>`, in process.
    func mqadmin(_ command: String, _ args: String...) async -> CommandResult {
        await runMQAdmin([command] + args + ["-n", namesrvAddr])
    }

    /// Re-runs a command until its output satisfies `done` or the deadline passes; returns the last result.
    func eventually(_ command: String, _ args: String..., within seconds: Int = 10,
                    until done: (CommandResult) -> Bool) async -> CommandResult {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var result = await runMQAdmin([command] + args + ["-n", namesrvAddr])
        while !done(result), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
            result = await runMQAdmin([command] + args + ["-n", namesrvAddr])
        }
        return result
    }

    /// Creates a topic on the broker and waits until the name server routes it.
    func createTopic(_ topic: String, queues: Int = 1) async throws {
        let created = await mqadmin("updateTopic", "-b", brokerAddr, "-t", topic, "-r", "\(queues)", "-w", "\(queues)")
        try #require(created.status == 0, "\(created.stderr)")
        let route = await eventually("topicRoute", "-t", topic) { $0.status == 0 }
        try #require(route.status == 0, "\(route.stderr)")
    }
}

struct CommandResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
    var lines: [String] { stdout.split(separator: "\n").map(String.init) }
}

func runMQAdmin(_ arguments: [String]) async -> CommandResult {
    let output = AdminOutput.capture()
    let status = await MQAdminCommand.run(arguments: arguments, output: output)
    return CommandResult(status: status, stdout: output.standardOutput, stderr: output.standardError)
}

/// Splits a table row into its columns (runs of spaces separate them).
func columns(_ line: String) -> [String] { line.split(separator: " ").map(String.init) }
