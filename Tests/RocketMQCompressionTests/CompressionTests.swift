//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQCompression
import Testing

/// Deterministic pseudo-random bytes (SplitMix64).
func pseudoRandomBytes(count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    var out = [UInt8]()
    out.reserveCapacity(count + 8)
    while out.count < count {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        withUnsafeBytes(of: z.littleEndian) { out.append(contentsOf: $0) }
    }
    return Array(out.prefix(count))
}

let allCompressors: [any Compressor] = [ZlibCompressor(), LZ4Compressor()]

enum Inputs {
    static let empty: [UInt8] = []
    static let small: [UInt8] = Array("RocketMQ".utf8)
    static let compressible64K: [UInt8] = Golden.big
    static let random1M: [UInt8] = pseudoRandomBytes(count: 1 << 20, seed: 42)
    static let all: [(String, [UInt8])] = [
        ("empty", empty), ("small", small), ("64KiB compressible", compressible64K), ("1MiB random", random1M),
    ]
}

@Suite struct CompressionTypeTests {
    @Test func rawValuesMatchUpstream() {
        #expect(CompressionType.lz4.rawValue == 1)
        #expect(CompressionType.zstd.rawValue == 2)
        #expect(CompressionType.zlib.rawValue == 3)
    }

    @Test func sysFlagMapping() throws {
        #expect(try CompressionType.fromSysFlag(MessageSysFlag.compressed) == .zlib)  // type bits 0 → zlib
        #expect(try CompressionType.fromSysFlag(0x101) == .lz4)
        #expect(try CompressionType.fromSysFlag(0x201) == .zstd)
        #expect(try CompressionType.fromSysFlag(0x301) == .zlib)
        // Other flag bits do not disturb the mapping.
        #expect(try CompressionType.fromSysFlag(0x1 | 0x100 | 0x4 | 0x10 | 0x20) == .lz4)
        for bad: Int32 in [4, 5, 6, 7] {
            #expect(throws: CompressionError.unknownTypeValue(bad)) {
                try CompressionType.fromSysFlag(0x1 | (bad << 8))
            }
        }
        #expect(CompressionType.lz4.sysFlagBits == 0x100)
        #expect(CompressionType.zstd.sysFlagBits == 0x200)
        #expect(CompressionType.zlib.sysFlagBits == 0x300)
        for type in CompressionType.allCases {
            #expect(try CompressionType.fromSysFlag(MessageSysFlag.compressed | type.sysFlagBits) == type)
        }
    }

    @Test func valuesAndNames() throws {
        #expect(try CompressionType.fromValue(0) == .zlib)
        #expect(try CompressionType.fromValue(3) == .zlib)
        #expect(throws: CompressionError.unknownTypeValue(9)) { try CompressionType.fromValue(9) }
        #expect(try CompressionType.named(" lz4 ") == .lz4)
        #expect(try CompressionType.named("ZSTD") == .zstd)
        #expect(try CompressionType.named("zlib") == .zlib)
        #expect(throws: CompressionError.unknownTypeName("gzip")) { try CompressionType.named("gzip") }
    }
}

@Suite struct RoundTripTests {
    @Test(arguments: [CompressionType.zlib, .lz4])
    func roundTrips(type: CompressionType) throws {
        let compressor = try CompressorRegistry.standard().compressor(for: type)
        #expect(compressor.type == type)
        for (name, input) in Inputs.all {
            let compressed = try compressor.compress(input, level: 5)
            let restored = try compressor.decompress(compressed)
            #expect(restored == input, "\(type) round trip of \(name)")
            if name == "64KiB compressible" {
                #expect(compressed.count < input.count / 10, "\(type) should shrink \(name)")
            }
        }
    }

    @Test func zlibAllLevels() throws {
        let zlib = ZlibCompressor()
        for level in -1...9 {
            #expect(try zlib.decompress(zlib.compress(Golden.text, level: level)) == Golden.text)
        }
        #expect(throws: CompressionError.invalidLevel(10)) { try zlib.compress(Golden.text, level: 10) }
        #expect(throws: CompressionError.invalidLevel(-2)) { try zlib.compress(Golden.text, level: -2) }
    }

    @Test func zlibOutputIsZlibWrapped() throws {
        let out = try ZlibCompressor().compress(Golden.text, level: 5)
        // CMF 0x78 (deflate, 32 KiB window) and (CMF*256 + FLG) % 31 == 0, as Java's Deflater writes.
        #expect(out[0] == 0x78)
        #expect((Int(out[0]) * 256 + Int(out[1])) % 31 == 0)
    }

    @Test func lz4OutputIsAFrameLz4JavaAccepts() throws {
        for input in [Inputs.empty, Golden.text, Inputs.random1M] {
            let out = try LZ4Compressor().compress(input, level: 5)
            #expect(Array(out.prefix(4)) == [0x04, 0x22, 0x4D, 0x18], "LZ4 frame magic")
            #expect(out[4] & 0xC0 == 0x40, "frame version 01")
            #expect(out[4] & 0x20 == 0x20, "independent blocks (lz4-java rejects linked blocks)")
            #expect(out[4] & 0x03 == 0, "reserved bits")
            #expect(Array(out.suffix(4)) == [0, 0, 0, 0], "end mark, no content checksum")
        }
    }

    @Test func rawBufferVariants() throws {
        for compressor in allCompressors {
            let compressed = try Golden.text.withUnsafeBytes { raw throws(CompressionError) in
                try compressor.compress(raw, level: 5)
            }
            let restored = try compressed.withUnsafeBytes { raw throws(CompressionError) in
                try compressor.decompress(raw)
            }
            #expect(restored == Golden.text)
        }
    }
}

@Suite struct GoldenTests {
    @Test func zlibFromPython() throws {
        let zlib = ZlibCompressor()
        #expect(try zlib.decompress(Golden.zlibText) == Golden.text)
        #expect(try zlib.decompress(Golden.zlibEmpty) == [])
        #expect(try zlib.decompress(Golden.zlibBig) == Golden.big)
    }

    @Test func zlibCompressionIsDeterministicAcrossImplementations() throws {
        // Same zlib algorithm and level as Python's zlib (and Java's Deflater): identical bytes.
        #expect(try ZlibCompressor().compress(Golden.text, level: 5) == Golden.zlibText)
    }

    @Test func lz4FramesInLz4JavaLayout() throws {
        let lz4 = LZ4Compressor()
        #expect(Array(Golden.lz4Text.prefix(7)) == [0x04, 0x22, 0x4D, 0x18, 0x60, 0x70, 0x73])
        #expect(try lz4.decompress(Golden.lz4Text) == Golden.text)
        #expect(try lz4.decompress(Golden.lz4Empty) == [])
        #expect(try lz4.decompress(Golden.lz4RawBlock) == (0...255).map { UInt8($0) })
    }

    @Test func lz4FramesFromPythonLz4() throws {
        let lz4 = LZ4Compressor()
        #expect(try lz4.decompress(Golden.lz4Big) == Golden.big)
        #expect(try lz4.decompress(Golden.lz4TextAllFlags) == Golden.text)
    }
}

@Suite struct BadInputTests {
    @Test func emptyInputIsTruncated() {
        #expect(throws: CompressionError.truncatedInput(type: .zlib)) { try ZlibCompressor().decompress([]) }
        #expect(throws: CompressionError.truncatedInput(type: .lz4)) { try LZ4Compressor().decompress([]) }
    }

    @Test func everyTruncationFails() {
        let cases: [(any Compressor, [UInt8])] = [
            (ZlibCompressor(), Golden.zlibText), (ZlibCompressor(), Golden.zlibBig),
            (LZ4Compressor(), Golden.lz4Text), (LZ4Compressor(), Golden.lz4TextAllFlags),
            (LZ4Compressor(), Golden.lz4RawBlock),
        ]
        for (compressor, full) in cases {
            for length in 0..<full.count {
                #expect(throws: CompressionError.self, "\(compressor.type) prefix \(length)/\(full.count)") {
                    try compressor.decompress(Array(full.prefix(length)))
                }
            }
        }
    }

    @Test func truncatedZlibReportsTruncation() {
        #expect(throws: CompressionError.truncatedInput(type: .zlib)) {
            try ZlibCompressor().decompress(Array(Golden.zlibBig.dropLast(20)))
        }
        #expect(throws: CompressionError.truncatedInput(type: .lz4)) {
            try LZ4Compressor().decompress(Array(Golden.lz4Text.dropLast(4)))
        }
    }

    @Test func corruptZlib() {
        let zlib = ZlibCompressor()
        // Not a zlib header.
        #expect(throws: CompressionError.self) { try zlib.decompress([0x00, 0x01, 0x02, 0x03, 0x04, 0x05]) }
        // Raw deflate (no zlib wrapper) is rejected, as Java's Inflater() does.
        #expect(throws: CompressionError.self) { try zlib.decompress(Array(Golden.zlibText.dropFirst(2))) }
        // Adler-32 mismatch.
        var badChecksum = Golden.zlibText
        badChecksum[badChecksum.count - 1] ^= 0xFF
        #expect(throws: CompressionError.corruptInput(type: .zlib, detail: "incorrect data check")) {
            try zlib.decompress(badChecksum)
        }
        // Flipped bytes anywhere in the stream never crash and never return the original silently.
        for index in 2..<Golden.zlibText.count {
            var corrupt = Golden.zlibText
            corrupt[index] ^= 0x5A
            if let out = try? zlib.decompress(corrupt) { #expect(out != Golden.text) }
        }
    }

    @Test func corruptLZ4() {
        let lz4 = LZ4Compressor()
        var badMagic = Golden.lz4Text
        badMagic[0] = 0x05
        #expect(throws: CompressionError.self) { try lz4.decompress(badMagic) }
        var badHeaderChecksum = Golden.lz4Text
        badHeaderChecksum[6] ^= 0xFF
        #expect(throws: CompressionError.self) { try lz4.decompress(badHeaderChecksum) }
        var hugeBlock = Golden.lz4Text
        hugeBlock[7...10] = [0xFF, 0xFF, 0xFF, 0x7F]  // block size far beyond the 4 MiB maximum
        #expect(throws: CompressionError.self) { try lz4.decompress(hugeBlock) }
        // With checksums, any flipped data byte is detected.
        let flagged = Golden.lz4TextAllFlags
        for index in 4..<flagged.count {
            var corrupt = flagged
            corrupt[index] ^= 0x5A
            #expect(throws: CompressionError.self, "flip at \(index)") { try lz4.decompress(corrupt) }
        }
        // Without checksums, flips never crash.
        for index in 7..<Golden.lz4Text.count {
            var corrupt = Golden.lz4Text
            corrupt[index] ^= 0x5A
            _ = try? lz4.decompress(corrupt)
        }
        // Garbage after a complete frame is an error (lz4-java expects another frame).
        #expect(throws: CompressionError.self) { try lz4.decompress(Golden.lz4Text + [1, 2, 3, 4, 5, 6, 7, 8]) }
    }

    /// Garbage never crashes and is never taken for a body: every input is refused with a `CompressionError`.
    @Test func randomGarbageIsRefused() {
        for seed in UInt64(0)..<200 {
            let garbage = pseudoRandomBytes(count: Int(seed % 97) + 1, seed: seed)
            for compressor in allCompressors {
                #expect(throws: CompressionError.self, "\(compressor.type) seed \(seed)") {
                    try compressor.decompress(garbage)
                }
            }
            // Valid zlib header followed by garbage.
            #expect(throws: CompressionError.self, "zlib header, seed \(seed)") {
                try ZlibCompressor().decompress([0x78, 0x9C] + garbage)
            }
            // Valid lz4-java frame header followed by garbage.
            #expect(throws: CompressionError.self, "lz4 header, seed \(seed)") {
                try LZ4Compressor().decompress(Array(Golden.lz4Text.prefix(7)) + garbage)
            }
        }
    }

    @Test func decompressionOutputIsCapped() throws {
        let zeros = [UInt8](repeating: 0, count: 16 << 20)
        for type in [CompressionType.zlib, .lz4] {
            let bomb = try CompressorRegistry.standard().compress(zeros, type: type, level: 9)
            #expect(bomb.count < 128 << 10)
            let capped = try CompressorRegistry.standard(maxDecompressedSize: 1 << 20).compressor(for: type)
            #expect(throws: CompressionError.outputTooLarge(type: type, limit: 1 << 20)) {
                try capped.decompress(bomb)
            }
            // Exactly at the cap is fine.
            let exact = try CompressorRegistry.standard(maxDecompressedSize: 16 << 20).compressor(for: type)
            #expect(try exact.decompress(bomb).count == 16 << 20)
        }
        #expect(ZlibCompressor().maxDecompressedSize == 64 << 20)
        #expect(LZ4Compressor().maxDecompressedSize == 64 << 20)
    }

    @Test func trailingBytesAfterZlibStreamAreIgnoredLikeJava() throws {
        #expect(try ZlibCompressor().decompress(Golden.zlibText + [0xDE, 0xAD]) == Golden.text)
    }

    @Test func concatenatedLZ4FramesDecodeLikeLz4Java() throws {
        #expect(try LZ4Compressor().decompress(Golden.lz4Text + Golden.lz4RawBlock)
            == Golden.text + (0...255).map { UInt8($0) })
    }
}

@Suite struct RegistryTests {
    @Test func unknownAndUnregisteredTypes() throws {
        let registry = CompressorRegistry.standard()
        #expect(registry.registeredTypes == [.zlib, .lz4])
        #expect(!registry.isSupported(.zstd))
        #expect(throws: CompressionError.unsupportedType(.zstd)) { try registry.compressor(for: .zstd) }
        #expect(throws: CompressionError.unsupportedType(.zstd)) {
            try registry.decompressBody([1, 2, 3], sysFlag: MessageSysFlag.compressed | MessageSysFlag.compressionZSTD)
        }
        #expect(throws: CompressionError.unsupportedType(.zstd)) {
            try registry.compress(Golden.text, type: .zstd, level: 5)
        }
        #expect(throws: CompressionError.unknownTypeValue(7)) {
            try registry.decompressBody([1, 2, 3], sysFlag: 0x701)
        }
        #expect(throws: CompressionError.unknownTypeValue(5)) { try registry.compressor(forValue: 5) }
        #expect(throws: CompressionError.unsupportedType(.lz4)) { try CompressorRegistry().compressor(for: .lz4) }
        var trimmed = registry
        trimmed.unregister(.lz4)
        #expect(throws: CompressionError.unsupportedType(.lz4)) { try trimmed.compressor(for: .lz4) }
        #expect(registry.isSupported(.lz4))  // value semantics: the original is unchanged
    }

    @Test func registerCustomCompressor() throws {
        struct IdentityZstd: Compressor {
            var type: CompressionType { .zstd }
            var maxDecompressedSize: Int { 1 << 20 }
            func compress(_ src: UnsafeRawBufferPointer, level: Int) throws(CompressionError) -> [UInt8] {
                Array(src)
            }
            func decompress(_ src: UnsafeRawBufferPointer) throws(CompressionError) -> [UInt8] { Array(src) }
        }
        var registry = CompressorRegistry.standard()
        registry.register(IdentityZstd())
        #expect(try registry.decompressBody([9, 8, 7], sysFlag: 0x201) == [9, 8, 7])
    }

    @Test func bodyHelpers() throws {
        let registry = CompressorRegistry.standard()
        // Uncompressed bodies pass through untouched, whatever the type bits say.
        #expect(try registry.decompressBody([1, 2, 3], sysFlag: 0x300) == [1, 2, 3])
        #expect(try registry.decompressBody(Golden.zlibText, sysFlag: 0x1) == Golden.text)  // C++ / old Java
        #expect(try registry.decompressBody(Golden.zlibText, sysFlag: 0x301) == Golden.text)
        #expect(try registry.decompressBody(Golden.lz4Text, sysFlag: 0x101) == Golden.text)

        let atThreshold = [UInt8](repeating: 7, count: CompressionDefaults.compressMsgBodyOverHowmuch)
        #expect(try registry.compressBodyIfNeeded(atThreshold) == nil)
        let over = atThreshold + [7]
        let result = try #require(try registry.compressBodyIfNeeded(over))
        #expect(result.sysFlagBits == 0x301)
        #expect(try registry.decompressBody(result.body, sysFlag: result.sysFlagBits) == over)
        let lz4 = try #require(try registry.compressBodyIfNeeded(over, type: .lz4))
        #expect(lz4.sysFlagBits == 0x101)
        #expect(try registry.decompressBody(lz4.body, sysFlag: lz4.sysFlagBits | 0x10) == over)
    }
}
