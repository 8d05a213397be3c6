//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Foundation
import RocketMQBroker
import RocketMQClient
import RocketMQCommon
import RocketMQNamesrv
import RocketMQRemoting
import RocketMQTestSupport
import Testing

/// TLS across a whole cluster (broker enforcing, our producer and consumer with `useTLS`) and the
/// `tls.*` configuration path of the executables.
@Suite("TLS: cluster end to end and configuration", .timeLimit(.minutes(1)))
struct TLSClusterTests {
    @Test("an enforcing broker: the Swift producer and push consumer send and consume over TLS; plaintext is refused")
    func sendAndConsumeOverTLS() async throws {
        let cluster = try await ClientTestCluster.start { $0.tls.serverMode = .enforcing }
        let topic = cluster.unique("TLSTopic")
        let group = cluster.unique("cg")
        func tlsConfig() -> ClientConfig {
            var config = cluster.clientConfig()
            config.useTLS = true
            return config
        }
        // The broker enforces TLS, so it registered with the (permissive) name server over TLS too.
        let admin = MQAdmin(clientConfig: tlsConfig(), logger: ClientTestCluster.makeLogger("admin"))
        try await admin.start()
        try await admin.createTopic(brokerAddr: cluster.brokerAddr, config: TopicConfig(
            topicName: topic, readQueueNums: 4, writeQueueNums: 4, perm: PermName.read | PermName.write))
        #expect(await clientEventually(.seconds(10)) {
            ((try? await admin.topicRoute(topic))?.queueDatas.first?.writeQueueNums ?? 0) == 4
        })
        await admin.shutdown()

        let producer = DefaultMQProducer(producerGroup: cluster.unique("pg"), clientConfig: tlsConfig(),
                                         logger: ClientTestCluster.makeLogger("producer"))
        try await producer.start()
        let count = 20
        for i in 0..<count {
            let result = try await producer.send(Message(topic: topic, body: "tls-\(i)"))
            #expect(result.sendStatus == .sendOK)
        }
        let received = ClientReceived()
        let consumer = DefaultMQPushConsumer(consumerGroup: group, clientConfig: tlsConfig(),
                                             logger: ClientTestCluster.makeLogger("consumer"))
        consumer.consumeFromWhere = .consumeFromFirstOffset
        try consumer.subscribe(topic, "*")
        consumer.registerMessageListener(concurrently: { messages, _ in
            received.add(messages)
            return .consumeSuccess
        })
        try await consumer.start()
        #expect(await clientEventually { received.bodies.count == count }, "received \(received.bodies.count)")
        #expect(received.bodies == Set((0..<count).map { "tls-\($0)" }))

        // The same send without TLS cannot reach the broker.
        var plainConfig = cluster.clientConfig()
        plainConfig.mqClientAPITimeoutMillis = 1000
        let plain = DefaultMQProducer(producerGroup: cluster.unique("pg"), clientConfig: plainConfig,
                                      logger: ClientTestCluster.makeLogger("plain"))
        plain.retryTimesWhenSendFailed = 0
        plain.sendMsgTimeout = 1000
        try await plain.start()
        await #expect(throws: (any Error).self) { _ = try await plain.send(Message(topic: topic, body: "plain")) }
        await plain.shutdown()

        await consumer.shutdown()
        await producer.shutdown()
        await cluster.shutdown()
    }

    @Test("a producer with useTLS and a bad tls.client.certPath fails start naming the key")
    func producerWithBadClientCertFailsStart() async throws {
        var config = ClientConfig(namesrvAddr: "127.0.0.1:1", clientIP: "127.0.0.1", instanceName: "tls-bad")
        config.useTLS = true
        config.tls.testModeEnable = false
        config.tls.clientCertPath = "/nonexistent/client.pem"
        config.tls.clientKeyPath = "/nonexistent/client.key"
        let producer = DefaultMQProducer(producerGroup: "pg_tls_bad", clientConfig: config, logger: .quiet())
        do {
            try await producer.start()
            Issue.record("start should fail")
        } catch {
            #expect("\(error)".contains("tls.client.certPath"), "\(error)")
        }
        await producer.shutdown()
    }

    @Test("broker start-up: tls.* from broker.conf, then -D flags, then tls.config.file (which wins); bad values name the key")
    func brokerLoadsTLSKeys() throws {
        let dir = try TemporaryDirectory(prefix: "rmq-tls-conf")
        defer { dir.remove() }
        let tlsFile = try dir.write("tls.properties", """
            tls.test.mode.enable=false
            tls.server.need.client.auth=optional
            tls.server.certPath=/from/file.pem
            tls.server.tyop=1
            """)
        let conf = try dir.write("broker.conf", """
            brokerName=b
            tls.server.mode=enforcing
            tls.server.certPath=/from/broker-conf.pem
            tls.server.keyPath=/from/broker-conf.key
            """)
        var options = BrokerStartup.Options()
        options.configFile = conf
        options.systemProperties = [(key: "tls.config.file", value: tlsFile), (key: "tls.enable", value: "false"),
                                    (key: "user.home", value: "/ignored")]
        let (config, unknown) = try BrokerStartup.loadConfig(options)
        #expect(config.tls.serverMode == .enforcing)
        #expect(config.tls.enable == false)
        #expect(config.tls.brokerClientUsesTLS == false)  // explicit tls.enable wins over enforcing
        #expect(config.tls.testModeEnable == false)
        #expect(config.tls.serverNeedClientAuth == .optional)
        #expect(config.tls.serverCertPath == "/from/file.pem")  // the file wins, as upstream
        #expect(config.tls.serverKeyPath == "/from/broker-conf.key")
        #expect(unknown == ["tls.server.tyop"])

        options.systemProperties = [(key: "tls.server.mode", value: "strict")]
        let badMode = #expect(throws: ConfigError.self) { _ = try BrokerStartup.loadConfig(options) }
        #expect(badMode?.key == "tls.server.mode")
        options.systemProperties = [(key: "tls.config.file", value: dir.file("missing.properties"))]
        let badFile = #expect(throws: ConfigError.self) { _ = try BrokerStartup.loadConfig(options) }
        #expect(badFile?.key == "tls.config.file")
        options.systemProperties = [(key: "tls.server.need.client.auth", value: "always")]
        let badAuth = #expect(throws: ConfigError.self) { _ = try BrokerStartup.loadConfig(options) }
        #expect(badAuth?.key == "tls.server.need.client.auth")
    }

    @Test("a broker whose tls.server.certPath is unreadable does not start, naming the key")
    func brokerWithBadCertDoesNotStart() throws {
        let directory = try BrokerTestCluster.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var config = BrokerTestCluster.baseConfig(directory: directory, namesrvAddr: "")
        config.tls.testModeEnable = false
        config.tls.serverCertPath = directory + "/no-such-cert.pem"
        config.tls.serverKeyPath = directory + "/no-such-key.pem"
        let error = #expect(throws: ConfigError.self) {
            _ = try BrokerController(config: config, logger: BrokerTestCluster.quietLogger)
        }
        #expect(error?.key == "tls.server.certPath")
    }

    @Test("mqbroker -Dtls.server.certPath=<missing> exits 1 naming the key")
    func mqbrokerExecutableStopsOnBadCert() async throws {
        let binary = try BuiltProducts.executable("mqbroker")
        let dir = try TemporaryDirectory(prefix: "rmq-tls-exe")
        defer { dir.remove() }
        let conf = try dir.write("broker.conf", """
            brokerName=b
            listenPort=0
            storePathRootDir=\(dir.file("store"))
            """)
        let result = try await runToCompletion(binary, arguments: [
            "-c", conf, "-Dtls.test.mode.enable=false", "-Dtls.server.certPath=\(dir.file("missing.pem"))",
            "-Dtls.server.keyPath=\(dir.file("missing.key"))",
        ], environment: ["ROCKETMQ_LOG_DIR": dir.path, "HOME": dir.path])
        #expect(result.termination == .exited(1))
        #expect(result.stderr.contains("tls.server.certPath"), "stderr: \(result.stderr)")
    }

    @Test("-D flags: joined and separate spellings, and extraction for tools")
    func systemPropertyFlags() {
        #expect(SystemProperties.separatingJoinedFlags(["-c", "f", "-Dtls.enable=true", "--", "-Dx"])
            == ["-c", "f", "-D", "tls.enable=true", "--", "-Dx"])
        let (properties, rest) = SystemProperties.extract(from: ["-Dtls.enable=true", "clusterList", "-n", "h:1", "-Dflag"])
        #expect(properties.map(\.key) == ["tls.enable", "flag"])
        #expect(properties.map(\.value) == ["true", ""])
        #expect(rest == ["clusterList", "-n", "h:1"])
    }
}
