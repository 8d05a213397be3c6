//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Foundation
import RocketMQBroker
import RocketMQCommon
import RocketMQStore
import Testing

/// Broker start-up configuration: bad values name their key, unknown keys are reported.
@Suite("Broker configuration loading")
struct BrokerConfigLoadingTests {
    @Test("a bad value through the binder throws ConfigError naming the key", .timeLimit(.minutes(1)))
    func binderRejectsBadValue() throws {
        var config = BrokerConfig()
        let flush = #expect(throws: ConfigError.self) {
            _ = try BrokerConfig.binder.apply([(key: "flushDiskType", value: "FAST")], to: &config)
        }
        #expect(flush?.key == "flushDiskType")
        #expect(flush?.description.contains("FAST") == true)
        let port = #expect(throws: ConfigError.self) {
            _ = try BrokerConfig.binder.apply([(key: "listenPort", value: "99999")], to: &config)
        }
        #expect(port?.key == "listenPort")
        let unknown = try BrokerConfig.binder.apply([(key: "noSuchKey", value: "1"), (key: "traceOn", value: "false")],
                                                    to: &config)
        #expect(unknown == ["noSuchKey"])
        #expect(config.traceOn == false)
    }

    @Test("a broker with an invalid delay-level list does not start", .timeLimit(.minutes(1)))
    func controllerRejectsInvalidConfig() throws {
        let directory = try BrokerTestCluster.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var config = BrokerTestCluster.baseConfig(directory: directory, namesrvAddr: "")
        config.store.messageDelayLevel = "1s 5x"
        let error = #expect(throws: ConfigError.self) {
            _ = try BrokerController(config: config, logger: BrokerTestCluster.quietLogger)
        }
        #expect(error?.key == "messageDelayLevel")
    }

    @Test("loadConfig reads a file, returns unknown keys and fails on a bad value", .timeLimit(.minutes(1)))
    func loadConfigFromFile() throws {
        let directory = try BrokerTestCluster.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let good = directory + "/broker.conf"
        try """
            # comment
            brokerName=broker-file
            brokerClusterName=FileCluster
            listenPort=10999
            flushDiskType=SYNC_FLUSH
            someUnknownKey=1
            """.write(toFile: good, atomically: true, encoding: .utf8)
        var options = BrokerStartup.Options()
        options.configFile = good
        options.namesrvAddr = "127.0.0.1:9876"
        let (config, unknown) = try BrokerStartup.loadConfig(options)
        #expect(unknown == ["someUnknownKey"])
        #expect(config.brokerName == "broker-file")
        #expect(config.brokerClusterName == "FileCluster")
        #expect(config.listenPort == 10999)
        #expect(config.store.flushDiskType.rawValue == "SYNC_FLUSH")
        #expect(config.namesrvAddr == "127.0.0.1:9876")

        let bad = directory + "/bad.conf"
        try "brokerName=b\nflushDiskType=FAST\n".write(toFile: bad, atomically: true, encoding: .utf8)
        options.configFile = bad
        let error = #expect(throws: ConfigError.self) { _ = try BrokerStartup.loadConfig(options) }
        #expect(error?.key == "flushDiskType")

        options.configFile = directory + "/missing.conf"
        #expect(throws: (any Error).self) { _ = try BrokerStartup.loadConfig(options) }
    }
}
