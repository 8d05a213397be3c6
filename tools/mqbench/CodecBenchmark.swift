//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RocketMQCommon
import RocketMQRemoting

/// `mqbench codec`: encode + decode of one SEND_MESSAGE_V2 request with a 1 KiB body, per header codec.
///
/// One operation = write the whole frame into a reused buffer, `RemotingFrameParser.parse` it, and
/// decode `SendMessageRequestHeaderV2` from the ext fields.
struct CodecBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec", abstract: "Measure remoting header codecs on a SEND_MESSAGE_V2 request.")

    @Option(help: "Measured iterations per codec.")
    var iterations = 1_000_000

    @Option(help: "Warm-up iterations per codec.")
    var warmup = 100_000

    @Option(help: "Measured rounds per codec; the best round is reported.")
    var rounds = 5

    @Option(help: "Codecs to run: json, rocketmq or both.")
    var codec: String = "both"

    static func request(_ type: SerializeType) -> RemotingCommand {
        let properties = "UNIQ_KEY\u{01}7F0000010C2A18B4AAC2762D4E0A0000\u{02}TAGS\u{01}TagA\u{02}"
            + "KEYS\u{01}order-20250101-000042\u{02}WAIT\u{01}true\u{02}"
        let header = SendMessageRequestHeaderV2(SendMessageRequestHeader(
            producerGroup: "please_rename_unique_group_name", topic: "TopicTest", defaultTopic: "TBW102",
            defaultTopicQueueNums: 4, queueID: 3, sysFlag: 0, bornTimestamp: 1_735_689_600_123, flag: 0,
            properties: properties, reconsumeTimes: 0, unitMode: false, batch: false, maxReconsumeTimes: nil,
            brokerName: "broker-a"))
        let body = ByteBuffer(bytes: (0..<1024).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 13) })
        var command = RemotingCommand.request(.sendMessageV2, header: header, body: body)
        command.opaque = 123_456
        command.serializeType = type
        return command
    }

    /// Runs `count` operations; returns a checksum so the work cannot be optimised away.
    static func run(_ command: RemotingCommand, count: Int, buffer: inout ByteBuffer) throws -> Int64 {
        let parser = RemotingFrameParser()
        var checksum: Int64 = 0
        for _ in 0..<count {
            buffer.clear()
            RemotingFrameParser.encode(command, into: &buffer)
            guard let decoded = try parser.parse(&buffer) else { throw ValidationError("short frame") }
            let header = try SendMessageRequestHeaderV2(extFields: decoded.extFields)
            checksum &+= Int64(header.v1.queueID) &+ header.v1.bornTimestamp &+ Int64(decoded.body?.readableBytes ?? 0)
        }
        return checksum
    }

    func run() throws {
        let types: [SerializeType]
        switch codec {
        case "json": types = [.json]
        case "rocketmq": types = [.rocketmq]
        case "both": types = [.json, .rocketmq]
        default: throw ValidationError("--codec must be json, rocketmq or both")
        }
        let clock = ContinuousClock()
        for type in types {
            let command = Self.request(type)
            var buffer = ByteBuffer()
            buffer.reserveCapacity(4096)
            // Sanity: the frame decodes back to the same header.
            RemotingFrameParser.encode(command, into: &buffer)
            let frameBytes = buffer.readableBytes
            guard let check = try RemotingFrameParser().parse(&buffer),
                  try SendMessageRequestHeaderV2(extFields: check.extFields).v1 == SendMessageRequestHeaderV2(extFields: command.extFields).v1
            else { throw ValidationError("round trip mismatch") }

            var checksum = try Self.run(command, count: warmup, buffer: &buffer)
            var bestWall = Double.infinity
            var bestCPU = Double.infinity
            for _ in 0..<max(1, rounds) {
                var sum: Int64 = 0
                let cpuStart = threadCPUNanos()
                let elapsed = try clock.measure { sum = try Self.run(command, count: iterations, buffer: &buffer) }
                let cpu = Double(threadCPUNanos() - cpuStart)
                checksum &+= sum
                let (seconds, attos) = elapsed.components
                bestWall = min(bestWall, Double(seconds) * 1e9 + Double(attos) / 1e9)
                bestCPU = min(bestCPU, cpu)
            }
            let n = Double(max(1, iterations))
            let name = type == .json ? "json" : "rocketmq"
            // CPU time of this thread is the headline figure: wall time on a shared machine includes
            // time the thread was waiting to be scheduled.
            print("codec \(name): \(Int((bestCPU / n).rounded())) ns/op (wall \(format1(bestWall / n)) ns/op, frame \(frameBytes) bytes, best of \(rounds) x \(iterations), checksum \(checksum & 0xFFFF))")
        }
    }
}

/// CPU time consumed by the calling thread, in nanoseconds.
private func threadCPUNanos() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

/// One decimal place without Foundation.
private func format1(_ x: Double) -> String {
    let tenths = Int((x * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}
