//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import Logging
import NIOCore
import NIOPosix
import RocketMQCommon
import RocketMQRemoting

#if canImport(Glibc)
import Glibc
#endif

/// `mqbench startup`: how fast `mqbroker --standalone` serves its first send on an empty store, and its
/// resident memory once idle. Spawns the real binary, so it measures what a user runs.
struct StartupBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "startup", abstract: "Time from mqbroker start to the first accepted send; idle RSS.")

    @Option(help: "Path to the mqbroker binary (default: next to mqbench).")
    var broker: String?

    @Option(help: "Runs to average.")
    var runs: Int = 5

    func run() async throws {
        let exe = broker ?? (FileIO.parentDirectory(CommandLine.arguments[0]) + "/mqbroker")
        guard FileIO.exists(exe) else { throw ValidationError("no mqbroker at \(exe); pass --broker") }
        var firstSend: [Double] = []
        var rss: [Int] = []
        let client = RemotingClient(group: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "mqbench"),
                                    connectTimeout: .milliseconds(200))
        for run in 0..<runs {
            let dir = "/tmp/mqbench-startup-\(getpid())-\(run)"
            try FileIO.makeDirectories(dir)
            let nsPort = 30000 + Int(getpid() % 1000) * 10 + run
            let brokerPort = nsPort + 10000
            let conf = "storePathRootDir=\(dir)/store\nlistenPort=\(brokerPort)\nbrokerIP1=127.0.0.1\nbrokerName=bench\n"
                + "mapedFileSizeCommitLog=67108864\nmaxIndexNum=100000\nmaxHashSlotNum=10000\n"
            try FileIO.writeBytes(Array(conf.utf8), to: dir + "/broker.conf", sync: false)
            let start = Clock.nanos()
            let pid = try spawn(exe, ["--standalone", "--namesrv-port", String(nsPort), "-c", dir + "/broker.conf"],
                                env: ["ROCKETMQ_LOG_DIR=\(dir)/logs"])
            let addr = "127.0.0.1:\(brokerPort)"
            var sent = false
            while !sent && Clock.nanos() - start < 10_000_000_000 {
                let header = SendMessageRequestHeaderV2(SendMessageRequestHeader(
                    producerGroup: "PG_BENCH", topic: "StartupTopic", queueID: 0, bornTimestamp: Clock.millis(),
                    properties: "UNIQ_KEY\u{1}X"))
                do {
                    let r = try await client.invoke(addr, .request(.sendMessageV2, header: header, body: ByteBuffer(string: "hello")),
                                                    timeoutMillis: 1000)
                    sent = r.code == ResponseCode.success.rawValue
                } catch {
                    await client.closeChannel(addr)
                    try? await Task.sleep(nanoseconds: 1_000_000)
                }
            }
            let elapsed = Double(Clock.nanos() - start) / 1e6
            try? await Task.sleep(nanoseconds: 2_000_000_000)
            let resident = residentKB(pid)
            kill(pid, SIGTERM)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            await client.closeChannel(addr)
            guard sent else { throw ValidationError("run \(run): no send accepted within 10 s") }
            firstSend.append(elapsed)
            rss.append(resident)
            Console.out("run \(run): first accepted send after \(format2(elapsed)) ms, idle RSS \(resident / 1024) MB")
        }
        await client.shutdown()
        let avg = firstSend.reduce(0, +) / Double(firstSend.count)
        Console.out("startup first-send avg: \(format2(avg)) ms (min \(format2(firstSend.min() ?? 0)), max \(format2(firstSend.max() ?? 0)))")
        Console.out("startup idle RSS avg: \(rss.reduce(0, +) / rss.count / 1024) MB")
    }

    func format2(_ v: Double) -> String { String(Double(Int(v * 100)) / 100) }

    func residentKB(_ pid: pid_t) -> Int {
        guard let text = FileIO.readString("/proc/\(pid)/status") else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }

    func spawn(_ path: String, _ args: [String], env extra: [String]) throws -> pid_t {
        var pid: pid_t = 0
        let argv = ([path] + args).map { strdup($0) } + [nil]
        var envStrings = extra
        var e = environ
        while let p = e.pointee { envStrings.append(String(cString: p)); e += 1 }
        let envp = envStrings.map { strdup($0) } + [nil]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let rc = posix_spawn(&pid, path, &actions, nil, argv, envp)
        posix_spawn_file_actions_destroy(&actions)
        for p in argv { free(p) }
        for p in envp { free(p) }
        guard rc == 0 else { throw ValidationError("posix_spawn failed: \(rc)") }
        return pid
    }
}
