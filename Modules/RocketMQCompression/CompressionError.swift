//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Errors from compressing or decompressing message bodies. Never a trap: corrupt, truncated or
/// hostile input always surfaces as one of these.
public enum CompressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No compressor registered for this type (e.g. zstd, which this build does not provide).
    case unsupportedType(CompressionType)
    /// A type value outside 0...3 (SYSFLAG bits 8–10 or Java `findByValue`).
    case unknownTypeValue(Int32)
    /// A type name other than LZ4, ZSTD or ZLIB.
    case unknownTypeName(String)
    /// Compression level the algorithm does not accept (zlib: -1...9).
    case invalidLevel(Int)
    /// Input larger than the underlying library can take in one call.
    case inputTooLarge(Int)
    /// The compressed input is malformed (bad header, bad checksum, bad block...).
    case corruptInput(type: CompressionType, detail: String)
    /// The compressed input ends before the stream/frame is complete (includes empty input).
    case truncatedInput(type: CompressionType)
    /// Decompressed output would exceed the configured cap.
    case outputTooLarge(type: CompressionType, limit: Int)
    /// The library failed for another reason (out of memory, version mismatch).
    case libraryFailure(type: CompressionType, detail: String)

    public var description: String {
        switch self {
        case .unsupportedType(let t): "compression type \(t) is not supported"
        case .unknownTypeValue(let v): "unknown compression type value \(v)"
        case .unknownTypeName(let n): "unknown compression type name '\(n)'"
        case .invalidLevel(let l): "invalid compression level \(l)"
        case .inputTooLarge(let n): "input of \(n) bytes is too large to compress"
        case .corruptInput(let t, let d): "corrupt \(t) input: \(d)"
        case .truncatedInput(let t): "truncated \(t) input"
        case .outputTooLarge(let t, let limit): "\(t) output exceeds the \(limit)-byte limit"
        case .libraryFailure(let t, let d): "\(t) library failure: \(d)"
        }
    }
}
