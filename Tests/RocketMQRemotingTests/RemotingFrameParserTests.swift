//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import NIOEmbedded
import NIOTestUtils
import RocketMQCommon
import Testing
@testable import RocketMQRemoting

private func frame(length: Int32, word: UInt32? = nil, payload: [UInt8] = []) -> ByteBuffer {
    var b = ByteBuffer()
    b.writeInteger(length)
    if let word { b.writeInteger(word) }
    b.writeBytes(payload)
    return b
}

private func decodingError(_ buffer: ByteBuffer) -> RemotingDecodingError? {
    var b = buffer
    do {
        _ = try RemotingFrameParser().parse(&b)
        return nil
    } catch {
        return error
    }
}

@Suite("RemotingFrameParser: malformed frames")
struct RemotingFrameParserMalformedTests {
    @Test func lengthShorterThanFourIsRefused() {
        #expect(decodingError(frame(length: 3, payload: [0, 0, 0])) == .frameTooShort(3))
        #expect(decodingError(frame(length: 0)) == .frameTooShort(0))
        #expect(decodingError(frame(length: -1, payload: [1, 2, 3, 4])) == .frameTooShort(-1))
    }

    @Test func lengthAboveSixteenMebibytesIsRefusedBeforeTheBytesArrive() {
        #expect(decodingError(frame(length: 16 * 1024 * 1024 + 1)) == .frameTooLarge(16 * 1024 * 1024 + 1))
        #expect(decodingError(frame(length: Int32.max)) == .frameTooLarge(Int(Int32.max)))
    }

    @Test func exactlySixteenMebibytesWaitsForMoreBytes() throws {
        var b = frame(length: 16 * 1024 * 1024, word: 0x0000_0002, payload: Array("{}".utf8))
        let before = b.readerIndex
        #expect(try RemotingFrameParser().parse(&b) == nil)
        #expect(b.readerIndex == before)
    }

    @Test func smallerConfiguredLimitApplies() {
        var b = frame(length: 1025, word: 0, payload: [])
        #expect(throws: RemotingDecodingError.frameTooLarge(1025)) { try RemotingFrameParser(maxFrameLength: 1024).parse(&b) }
    }

    @Test func headerLengthBeyondTheFrameIsRefused() {
        #expect(decodingError(frame(length: 8, word: 0x0000_0010, payload: [1, 2, 3, 4]))
            == .headerLengthBeyondFrame(headerLength: 16, frameLength: 8))
        #expect(decodingError(frame(length: 4, word: 0x0000_0001))
            == .headerLengthBeyondFrame(headerLength: 1, frameLength: 4))
    }

    @Test func unknownSerializeTypeIsRefused() {
        #expect(decodingError(frame(length: 6, word: 0x0200_0002, payload: Array("{}".utf8))) == .unknownSerializeType(2))
        #expect(decodingError(frame(length: 4, word: 0xFF00_0000)) == .unknownSerializeType(255))
    }

    @Test(arguments: [#"{"code":"#, #"{"code":1"#, "not json", #"["code",1]"#, #"{"code":"abc"}"#, #"{"code":1,}"#,
                      #"{"code":1}x"#, #"{"extFields":[1,2]}"#, #"{"code":99999999999}"#, "", #"{code:1}"#])
    func unparseableJSONHeaderIsRefused(_ header: String) {
        let error = decodingError(jsonFrame(header))
        guard case .invalidHeader = error else {
            Issue.record("expected invalidHeader for \(header), got \(String(describing: error))")
            return
        }
    }

    @Test func truncatedBinaryHeaderIsRefused() {
        for payload in [[UInt8](repeating: 0, count: 10), hexBytes("0069 00 0199 00000001 00000000 00000005 41"),
                        hexBytes("0069 00 0199 00000001 00000000 00000000 00000014 0005 746f706963"),
                        hexBytes("0069 00 0199 00000001 00000000 00000000 00000004 ffff 0000")] {
            let error = decodingError(frame(length: Int32(4 + payload.count), word: 0x0100_0000 | UInt32(payload.count), payload: payload))
            guard case .invalidHeader = error else {
                Issue.record("expected invalidHeader for \(payload), got \(String(describing: error))")
                continue
            }
        }
    }

    @Test func partialFramesAskForMoreBytesWithoutConsuming() throws {
        let whole = Array(encodeFrame(RemotingCommand(code: 105, opaque: 1, extFields: ["topic": "T"])).readableBytesView)
        for cut in 0..<whole.count {
            var b = ByteBuffer(bytes: whole[0..<cut])
            #expect(try RemotingFrameParser().parse(&b) == nil)
            #expect(b.readableBytes == cut)
        }
    }

    @Test func errorsDescribeThemselves() {
        #expect(RemotingDecodingError.frameTooLarge(20_000_000).description.contains("20000000"))
        #expect(RemotingDecodingError.unknownSerializeType(7).description.contains("7"))
    }
}

@Suite("RemotingCommandDecoder in a pipeline")
struct RemotingCommandDecoderTests {
    static func sampleCommands() -> [RemotingCommand] {
        [
            RemotingCommand(code: 105, opaque: 1, extFields: ["topic": "TopicTest"]),
            RemotingCommand(code: 310, language: .cpp, version: 333, opaque: 2, remark: "中文 🚀",
                            extFields: ["a": "PG", "b": "T", "i": "TAGS\u{01}x\u{02}"],
                            body: ByteBuffer(bytes: Array(repeating: 0xAB, count: 1024)), serializeType: .rocketmq),
            RemotingCommand(code: 0, opaque: 2, flag: 1, remark: "ok", serializeType: .json),
            RemotingCommand(code: 34, opaque: 3, body: ByteBuffer(string: #"{"clientID":"c"}"#), serializeType: .rocketmq),
            RemotingCommand(code: 15, opaque: 4, flag: 2, extFields: ["commitOffset": "100"]),
        ]
    }

    @Test func verifierFeedsBytesOneByOneAndInBatches() throws {
        let commands = Self.sampleCommands()
        var all = ByteBuffer()
        for c in commands { RemotingFrameParser.encode(c, into: &all) }
        var pairs: [(ByteBuffer, [RemotingCommand])] = commands.map { (encodeFrame($0), [$0]) }
        pairs.append((all, commands))
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { RemotingCommandDecoder() }
    }

    @Test(arguments: [1 as UInt64, 2, 3, 42, 1234])
    func randomChunkSizesYieldTheSameCommands(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var commands: [RemotingCommand] = []
        for i in 0..<40 {
            var c = Self.sampleCommands()[i % 5]
            c.opaque = Int32(i)
            commands.append(c)
        }
        var stream = ByteBuffer()
        for c in commands { RemotingFrameParser.encode(c, into: &stream) }

        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RemotingCommandDecoder()))
        var received: [RemotingCommand] = []
        while stream.readableBytes > 0 {
            let n = min(stream.readableBytes, Int.random(in: 1...300, using: &rng))
            try channel.writeInbound(stream.readSlice(length: n)!)
            while let c = try channel.readInbound(as: RemotingCommand.self) { received.append(c) }
        }
        #expect(received == commands)
        #expect(try channel.finish().isClean)
    }

    @Test func malformedFrameFailsThePipeline() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RemotingCommandDecoder()))
        #expect(throws: RemotingDecodingError.frameTooLarge(0x7F00_0000)) {
            try channel.writeInbound(ByteBuffer(bytes: [0x7F, 0, 0, 0, 1, 2, 3]))
        }
        _ = try? channel.finish()
    }
}

/// `count` pseudo-random bytes, eight per generator step.
private func randomBytes(_ count: Int, _ rng: inout SplitMix64) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: count)
    var i = 0
    while i < count {
        let word = rng.next()
        for k in 0..<min(8, count - i) { out[i + k] = UInt8(truncatingIfNeeded: word >> (8 * UInt64(k))) }
        i += 8
    }
    return out
}

@Suite("RemotingFrameParser: robustness")
struct RemotingFrameParserFuzzTests {
    /// Valid frames of both codecs to start mutations from.
    static func seeds() -> [[UInt8]] {
        var fields: ExtFields = [:]
        for i in 0..<4 { fields["k\(i)"] = "v\(i)\u{01}\u{02}中" }
        let commands = [
            RemotingCommand(code: 105, opaque: 1, extFields: ["topic": "TopicTest"]),
            RemotingCommand(code: 310, language: .cpp, version: 333, opaque: 77, remark: "r 🚀", extFields: fields,
                            body: ByteBuffer(bytes: Array(repeating: 7, count: 16))),
            RemotingCommand(code: 1, opaque: 3, flag: 1, remark: "error text"),
        ]
        var out: [[UInt8]] = []
        for var c in commands {
            out.append(Array(encodeFrame(c).readableBytesView))
            c.serializeType = .rocketmq
            out.append(Array(encodeFrame(c).readableBytesView))
        }
        out.append(Array(jsonFrame(#"{"code":310,"extFields":{"d":4,"e":true,"x":[1,{"y":null}]},"language":9,"remark":null}"#).readableBytesView))
        return out
    }

    static func mutate(_ seed: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = seed
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            switch Int.random(in: 0..<7, using: &rng) {
            case 0 where !bytes.isEmpty:  // flip a bit
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[i] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
            case 1:  // insert random bytes
                let at = Int.random(in: 0...bytes.count, using: &rng)
                bytes.insert(contentsOf: randomBytes(Int(rng.next() % 8) + 1, &rng), at: at)
            case 2 where !bytes.isEmpty:  // delete a range
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...8, using: &rng)))
            case 3 where !bytes.isEmpty:  // overwrite with a JSON-significant character
                let specials = Array("{}[]\":,\\u0123456789-tfn \u{01}".utf8) + [0xFF, 0xC3, 0x00]
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = specials.randomElement(using: &rng)!
            case 4 where bytes.count >= 8:  // random header length / type word
                let w = UInt32.random(in: 0...UInt32.max, using: &rng) & (Bool.random(using: &rng) ? 0x01FF_FFFF : 0xFFFF_FFFF)
                bytes.replaceSubrange(4..<8, with: withUnsafeBytes(of: w.bigEndian, Array.init))
            case 5 where bytes.count >= 4:  // random total length near the real one
                let n = Int32(clamping: bytes.count - 4 + Int.random(in: -12...12, using: &rng))
                bytes.replaceSubrange(0..<4, with: withUnsafeBytes(of: n.bigEndian, Array.init))
            default:  // truncate
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
            }
        }
        return bytes
    }

    @Test(.timeLimit(.minutes(1)))
    func hundredThousandRandomAndMutatedFramesNeverCrashOrHang() async throws {
        let seeds = Self.seeds()
        var rng = SplitMix64(seed: 0x5EED_2025)
        let parser = RemotingFrameParser()
        var decoded = 0, refused = 0, incomplete = 0
        let clock = ContinuousClock()
        let start = clock.now
        for i in 0..<100_000 {
            // CPU-bound: let the other tests' tasks run on the shared cooperative pool.
            if i % 256 == 0 { await Task.yield() }
            let bytes: [UInt8]
            if i % 5 == 0 {
                bytes = randomBytes(Int(rng.next() % 97), &rng)
            } else {
                bytes = Self.mutate(seeds[i % seeds.count], &rng)
            }
            var buffer = ByteBuffer(bytes: bytes)
            // Keep parsing while frames come out; every decoded frame consumes at least 8 bytes.
            var steps = 0
            while true {
                steps += 1
                if steps > bytes.count / 8 + 2 { Issue.record("parser did not make progress on case \(i)"); break }
                do {
                    let before = buffer.readableBytes
                    guard let _ = try parser.parse(&buffer) else { incomplete += 1; break }
                    decoded += 1
                    if buffer.readableBytes > before - 8 { Issue.record("frame consumed under 8 bytes in case \(i)"); break }
                } catch {
                    refused += 1
                    break
                }
            }
        }
        let elapsed = clock.now - start
        // A hang guard, not a speed test (the machine may be loaded): 100,000 frames take ~6 s alone.
        #expect(elapsed < .seconds(60), "fuzzing took \(elapsed)")
        // Every path was exercised.
        #expect(decoded > 1_000)
        #expect(refused > 1_000)
        #expect(incomplete > 1_000)
    }
}
