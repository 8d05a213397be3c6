//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// A message body codec (Java `Compressor`). Implementations are stateless values, safe to share.
///
/// The raw-buffer requirements do the work; the `[UInt8]` entry points have default
/// implementations that forward to them.
public protocol Compressor: Sendable {
    var type: CompressionType { get }

    /// Upper bound on the bytes `decompress` may produce; larger output is `.outputTooLarge`.
    var maxDecompressedSize: Int { get }

    func compress(_ src: [UInt8], level: Int) throws(CompressionError) -> [UInt8]
    func decompress(_ src: [UInt8]) throws(CompressionError) -> [UInt8]

    func compress(_ src: UnsafeRawBufferPointer, level: Int) throws(CompressionError) -> [UInt8]
    func decompress(_ src: UnsafeRawBufferPointer) throws(CompressionError) -> [UInt8]
}

extension Compressor {
    public func compress(_ src: [UInt8], level: Int) throws(CompressionError) -> [UInt8] {
        let result: Result<[UInt8], CompressionError> = src.withUnsafeBytes { raw in
            Result { () throws(CompressionError) -> [UInt8] in try compress(raw, level: level) }
        }
        return try result.get()
    }

    public func decompress(_ src: [UInt8]) throws(CompressionError) -> [UInt8] {
        let result: Result<[UInt8], CompressionError> = src.withUnsafeBytes { raw in
            Result { () throws(CompressionError) -> [UInt8] in try decompress(raw) }
        }
        return try result.get()
    }
}

/// Size of the intermediate output chunk used by the streaming decoders.
let decompressChunkSize = 64 * 1024

/// Appends `count` bytes from `chunk` to `output`, enforcing `limit`.
@inline(__always)
func appendChecked(
    _ output: inout [UInt8], _ chunk: UnsafeMutableRawBufferPointer, count: Int, limit: Int, type: CompressionType
) throws(CompressionError) {
    guard count > 0 else { return }
    guard count <= limit - output.count else { throw .outputTooLarge(type: type, limit: limit) }
    output.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
}
