//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import Logging
import NIOCore
import RocketMQAcl
import RocketMQCommon
import RocketMQRemoting

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mqbench acl`: what ACL costs per SEND_MESSAGE_V2 request with a 1 KiB body (the `codec` request):
/// the client's signing, and the broker's check (parse the needs, HmacSHA1 over the decoded fields and
/// body, permission lookup), in this thread's CPU ns per operation.
struct AclBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acl", abstract: "Measure ACL signing (client) and checking (broker) per request.")

    @Option(help: "Measured iterations.") var iterations = 200_000
    @Option(help: "Measured rounds; the best is reported.") var rounds = 5

    func run() throws {
        let path = "/tmp/mqbench-acl-\(getpid()).yml"
        let yml = "accounts:\n  - accessKey: rocketmq2\n    secretKey: 12345678\n    defaultTopicPerm: PUB\n"
        try FileIO.writeBytes(Array(yml.utf8), to: path, sync: false)
        defer { unlink(path) }
        var logger = Logger(label: "mqbench.acl")
        logger.logLevel = .error
        let validator = PlainAccessValidator(manager: try PlainPermissionManager(path: path, logger: logger), logger: logger)
        let hook = AclClientRPCHook(credentials: SessionCredentials(accessKey: "rocketmq2", secretKey: "12345678"))
        let plain = CodecBenchmark.request(.json)

        // The broker checks the decoded form, as it arrives.
        var signed = plain
        try hook.doBeforeRequest(remoteAddress: "127.0.0.1:10911", request: &signed)
        var buffer = ByteBuffer()
        RemotingFrameParser.encode(signed, into: &buffer)
        guard let decoded = try RemotingFrameParser().parse(&buffer) else { throw ValidationError("short frame") }

        let sign = try Self.best(rounds) {
            for _ in 0..<iterations {
                var r = plain
                try hook.doBeforeRequest(remoteAddress: "127.0.0.1:10911", request: &r)
            }
        }
        let check = try Self.best(rounds) {
            for _ in 0..<iterations {
                var r = decoded
                try validator.doBeforeRequest(remoteAddress: "10.0.0.1:50000", request: &r)
            }
        }
        let signer = AclSigner(secretKey: "12345678")
        let content = AclUtils.combineRequestContent(decoded)
        var sink = 0
        let hmac = try Self.best(rounds) {
            for _ in 0..<iterations { sink &+= signer.signature(content).utf8.count }
        }
        let n = Double(iterations)
        print("acl sign (client): \(Int((sign / n).rounded())) ns/op; check (broker): \(Int((check / n).rounded())) ns/op,"
              + " of which HmacSHA1+Base64 of the \(content.count) signed bytes \(Int((hmac / n).rounded())) ns"
              + " (SEND_MESSAGE_V2, 1 KiB body, best of \(rounds) x \(iterations)\(sink == 0 ? "" : ""))")
    }

    /// The least thread CPU time of `rounds` runs of `body`, in nanoseconds.
    static func best(_ rounds: Int, _ body: () throws -> Void) throws -> Double {
        try body()  // warm-up
        var best = Double.infinity
        for _ in 0..<max(1, rounds) {
            var ts = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
            let start = Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
            try body()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
            best = min(best, Double(Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec) - start))
        }
        return best
    }
}
