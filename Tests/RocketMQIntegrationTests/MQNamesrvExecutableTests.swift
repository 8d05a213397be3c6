//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import NIOPosix
import RocketMQCommon
import RocketMQRemoting
import RocketMQTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `mqnamesrv` binary (it sits next to the test bundle after `swift build --build-tests`).
@Suite("mqnamesrv executable", .timeLimit(.minutes(1)))
struct MQNamesrvExecutableTests {
    @Test func bootsAnswersAndStopsOnSigterm() async throws {
        let binary = try BuiltProducts.executable("mqnamesrv")
        let dir = try TemporaryDirectory(prefix: "mqnamesrv")
        defer { dir.remove() }
        let port = try FreePort.allocate()
        let conf = try dir.write("namesrv.conf", """
            # test config
            listenPort=\(port)
            kvConfigPath=\(dir.file("kvConfig.json"))
            bindAddress=127.0.0.1
            """)
        let logs = dir.file("logs")
        mkdir(logs, 0o755)
        let child = try ChildProcess(executable: binary, arguments: ["-c", conf], environment: ["ROCKETMQ_LOG_DIR": logs])
        let line = try await child.waitForOutputLine(containing: "The Name Server boot success", timeout: .seconds(20))
        #expect(line == "The Name Server boot success. serializeType=JSON")

        let client = RemotingClient(group: MultiThreadedEventLoopGroup.singleton, logger: .quiet())
        let address = "127.0.0.1:\(port)"
        let put = try await client.invoke(address, .request(.putKVConfig, header: PutKVConfigRequestHeader(
            namespace: "NS", key: "k", value: "v")))
        #expect(put.code == 0)
        let get = try await client.invoke(address, .request(.getKVConfig, header: GetKVConfigRequestHeader(namespace: "NS", key: "k")))
        #expect(get.extFields["value"] == "v")
        let route = try await client.invoke(address, .request(.getRouteInfoByTopic, header: GetRouteInfoRequestHeader(topic: "T")))
        #expect(route.code == 17)
        await client.shutdown()

        // The scan interval is 10 s by default: a prompt exit shows SIGTERM does not wait for it.
        child.signal(SIGTERM)
        let ended = try await child.waitForExit(timeout: .seconds(5))
        #expect(ended == .exited(0), "stderr: \(child.standardError)")
        #expect(access(logs + "/namesrv.log", F_OK) == 0, "namesrv.log must be written to ROCKETMQ_LOG_DIR")
        #expect(dir.exists("kvConfig.json"))
    }

    @Test func printConfigItemsAndExit() async throws {
        let binary = try BuiltProducts.executable("mqnamesrv")
        let result = try await runToCompletion(binary, arguments: ["-p"])
        #expect(result.termination == .exited(0))
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("listenPort=9876"), "stdout: \(result.stdout)")
        #expect(lines.contains { $0.hasPrefix("kvConfigPath=") })
        #expect(lines.contains("scanNotActiveBrokerInterval=10000"))
    }

    @Test func printConfigReflectsTheConfigFile() async throws {
        let binary = try BuiltProducts.executable("mqnamesrv")
        let dir = try TemporaryDirectory(prefix: "mqnamesrv")
        defer { dir.remove() }
        let conf = try dir.write("namesrv.conf", "listenPort=19876\norderMessageEnable=true\n")
        let result = try await runToCompletion(binary, arguments: ["-c", conf, "-p"])
        #expect(result.termination == .exited(0))
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("listenPort=19876"))
        #expect(lines.contains("orderMessageEnable=true"))
    }

    @Test func badConfigValueExitsNonZeroNamingTheKey() async throws {
        let binary = try BuiltProducts.executable("mqnamesrv")
        let dir = try TemporaryDirectory(prefix: "mqnamesrv")
        defer { dir.remove() }
        let conf = try dir.write("bad.conf", "listenPort=abc\n")
        let result = try await runToCompletion(binary, arguments: ["-c", conf],
                                               environment: ["ROCKETMQ_LOG_DIR": dir.path])
        guard case .exited(let code) = result.termination else {
            Issue.record("mqnamesrv ended with \(result.termination)")
            return
        }
        #expect(code != 0)
        #expect(result.stderr.contains("listenPort"), "stderr: \(result.stderr)")
        #expect(!result.stdout.contains("boot success"))
    }

    @Test func missingConfigFileExitsNonZero() async throws {
        let binary = try BuiltProducts.executable("mqnamesrv")
        let result = try await runToCompletion(binary, arguments: ["-c", "/nonexistent/namesrv.conf"])
        #expect(result.termination != .exited(0))
        #expect(result.stderr.contains("/nonexistent/namesrv.conf"), "stderr: \(result.stderr)")
    }
}
