//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import CLZ4

/// LZ4 **frame** format (magic 0x184D2204), as upstream's `Lz4Compressor`, which writes with
/// lz4-java's `LZ4FrameOutputStream` (defaults: independent blocks, 4 MiB max block size, no
/// checksums, no content size) and reads with `LZ4FrameInputStream`.
///
/// Compression always uses independent blocks: lz4-java rejects linked-block frames. The `level` is
/// ignored, as upstream ignores it for LZ4 (it always uses the fast compressor).
/// Decompression accepts any valid frame (checksums are verified when present) and concatenated
/// frames, as lz4-java does; trailing bytes that are not a frame are an error.
public struct LZ4Compressor: Compressor {
    public var type: CompressionType { .lz4 }
    public let maxDecompressedSize: Int

    public init(maxDecompressedSize: Int = CompressionDefaults.maxDecompressedSize) {
        precondition(maxDecompressedSize >= 0, "maxDecompressedSize must not be negative")
        self.maxDecompressedSize = maxDecompressedSize
    }

    public func compress(_ src: UnsafeRawBufferPointer, level: Int) throws(CompressionError) -> [UInt8] {
        var prefs = LZ4F_preferences_t()
        prefs.frameInfo.blockSizeID = LZ4F_max4MB
        prefs.frameInfo.blockMode = LZ4F_blockIndependent
        prefs.frameInfo.contentChecksumFlag = LZ4F_noContentChecksum
        prefs.frameInfo.blockChecksumFlag = LZ4F_noBlockChecksum
        prefs.frameInfo.contentSize = 0
        prefs.compressionLevel = 0

        let bound = LZ4F_compressFrameBound(src.count, &prefs)
        guard LZ4F_isError(bound) == 0, bound < Int.max else { throw .inputTooLarge(src.count) }
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { out in
            LZ4F_compressFrame(out.baseAddress, out.count, src.baseAddress, src.count, &prefs)
        }
        if LZ4F_isError(written) != 0 {
            throw .libraryFailure(type: .lz4, detail: String(cString: LZ4F_getErrorName(written)))
        }
        output.removeLast(bound - written)
        return output
    }

    public func decompress(_ src: UnsafeRawBufferPointer) throws(CompressionError) -> [UInt8] {
        var dctx: OpaquePointer?
        let created = LZ4F_createDecompressionContext(&dctx, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(created) == 0, let dctx else {
            throw .libraryFailure(type: .lz4, detail: "cannot create a decompression context")
        }
        defer { _ = LZ4F_freeDecompressionContext(dctx) }

        var output: [UInt8] = []
        output.reserveCapacity(Swift.min(Swift.max(src.count * 2, 64), maxDecompressedSize))
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: decompressChunkSize, alignment: 16)
        defer { chunk.deallocate() }

        var position = 0
        while true {
            var srcSize = src.count - position
            var dstSize = chunk.count
            let hint = LZ4F_decompress(dctx, chunk.baseAddress, &dstSize, src.baseAddress.map { $0 + position },
                                       &srcSize, nil)
            if LZ4F_isError(hint) != 0 {
                throw .corruptInput(type: .lz4, detail: String(cString: LZ4F_getErrorName(hint)))
            }
            position += srcSize
            try appendChecked(&output, chunk, count: dstSize, limit: maxDecompressedSize, type: .lz4)
            if hint == 0 && position == src.count {
                // The last frame is fully decoded and flushed.
                return output
            }
            if srcSize == 0 && dstSize == 0 {
                // No progress: either the input ended mid-frame, or the decoder is stuck.
                if position == src.count { throw .truncatedInput(type: .lz4) }
                throw .corruptInput(type: .lz4, detail: "decoder made no progress")
            }
        }
    }
}
