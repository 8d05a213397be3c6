//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import CZlib

/// zlib-wrapped deflate (RFC 1950), byte-compatible with Java's `Deflater`/`Inflater` as used by
/// upstream's `ZlibCompressor`, `UtilAll.compress/uncompress` (namesrv compressed register body) and
/// the C++ client.
///
/// Decompression stops at the end of the first zlib stream and ignores any trailing bytes, as Java's
/// `InflaterInputStream` does. The Adler-32 trailer is verified.
public struct ZlibCompressor: Compressor {
    public var type: CompressionType { .zlib }
    public let maxDecompressedSize: Int

    public init(maxDecompressedSize: Int = CompressionDefaults.maxDecompressedSize) {
        precondition(maxDecompressedSize >= 0, "maxDecompressedSize must not be negative")
        self.maxDecompressedSize = maxDecompressedSize
    }

    /// `level`: -1 (zlib default, 6) or 0...9, as Java's `Deflater(level)`.
    public func compress(_ src: UnsafeRawBufferPointer, level: Int) throws(CompressionError) -> [UInt8] {
        guard level == Int(Z_DEFAULT_COMPRESSION) || (0...9).contains(level) else { throw .invalidLevel(level) }
        guard src.count < Int(UInt32.max) else { throw .inputTooLarge(src.count) }

        var stream = z_stream()
        let initResult = deflateInit_(&stream, Int32(level), ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initResult == Z_OK else {
            throw .libraryFailure(type: .zlib, detail: "deflateInit failed (\(initResult))")
        }
        defer { deflateEnd(&stream) }

        let bound = Int(deflateBound(&stream, uLong(src.count)))
        var output = [UInt8](repeating: 0, count: bound)
        let rc: Int32 = output.withUnsafeMutableBytes { out in
            stream.next_in = UnsafeMutablePointer(mutating: src.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(src.count)
            stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(out.count)
            let rc = deflate(&stream, Z_FINISH)
            stream.next_in = nil
            stream.next_out = nil
            return rc
        }
        guard rc == Z_STREAM_END else {
            throw .libraryFailure(type: .zlib, detail: "deflate did not finish (\(rc))")
        }
        output.removeLast(Int(stream.avail_out))
        return output
    }

    public func decompress(_ src: UnsafeRawBufferPointer) throws(CompressionError) -> [UInt8] {
        guard src.count < Int(UInt32.max) else { throw .inputTooLarge(src.count) }
        var stream = z_stream()
        let initResult = inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initResult == Z_OK else {
            throw .libraryFailure(type: .zlib, detail: "inflateInit failed (\(initResult))")
        }
        defer { inflateEnd(&stream) }

        stream.next_in = UnsafeMutablePointer(mutating: src.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(src.count)
        defer { stream.next_in = nil }

        var output: [UInt8] = []
        output.reserveCapacity(Swift.min(Swift.max(src.count * 4, 64), maxDecompressedSize))
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: decompressChunkSize, alignment: 16)
        defer { chunk.deallocate() }

        while true {
            stream.next_out = chunk.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(chunk.count)
            let rc = inflate(&stream, Z_NO_FLUSH)
            let produced = chunk.count - Int(stream.avail_out)
            stream.next_out = nil
            try appendChecked(&output, chunk, count: produced, limit: maxDecompressedSize, type: .zlib)
            switch rc {
            case Z_STREAM_END:
                return output
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress possible with output space available: the input ran out mid-stream.
                throw .truncatedInput(type: .zlib)
            case Z_NEED_DICT:
                throw .corruptInput(type: .zlib, detail: "stream requires a preset dictionary")
            case Z_DATA_ERROR:
                throw .corruptInput(type: .zlib, detail: stream.msg.map { String(cString: $0) } ?? "data error")
            case Z_MEM_ERROR:
                throw .libraryFailure(type: .zlib, detail: "out of memory")
            default:
                throw .libraryFailure(type: .zlib, detail: "inflate returned \(rc)")
            }
        }
    }
}
