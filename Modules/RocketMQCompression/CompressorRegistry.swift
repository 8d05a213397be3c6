//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// Compressors by type (Java `CompressorFactory`, but an instance rather than a global).
///
/// `CompressorRegistry.standard()` holds zlib and LZ4; zstd is not provided by this build, so asking
/// for it (or decoding a zstd-flagged body) throws `.unsupportedType(.zstd)`. Register a zstd
/// compressor to enable it.
public struct CompressorRegistry: Sendable {
    private var compressors: [CompressionType: any Compressor]

    /// An empty registry.
    public init() {
        compressors = [:]
    }

    /// zlib and LZ4, both with the given decompression cap.
    public static func standard(
        maxDecompressedSize: Int = CompressionDefaults.maxDecompressedSize
    ) -> CompressorRegistry {
        var registry = CompressorRegistry()
        registry.register(ZlibCompressor(maxDecompressedSize: maxDecompressedSize))
        registry.register(LZ4Compressor(maxDecompressedSize: maxDecompressedSize))
        return registry
    }

    /// Adds or replaces the compressor for `compressor.type`.
    public mutating func register(_ compressor: any Compressor) {
        compressors[compressor.type] = compressor
    }

    /// Removes the compressor for `type`, if any.
    public mutating func unregister(_ type: CompressionType) {
        compressors[type] = nil
    }

    public var registeredTypes: [CompressionType] {
        CompressionType.allCases.filter { compressors[$0] != nil }
    }

    public func isSupported(_ type: CompressionType) -> Bool { compressors[type] != nil }

    public func compressor(for type: CompressionType) throws(CompressionError) -> any Compressor {
        guard let compressor = compressors[type] else { throw .unsupportedType(type) }
        return compressor
    }

    /// The compressor for a type value (0 or 3 = zlib, 1 = lz4, 2 = zstd).
    public func compressor(forValue value: Int32) throws(CompressionError) -> any Compressor {
        try compressor(for: CompressionType.fromValue(value))
    }

    public func compress(_ body: [UInt8], type: CompressionType, level: Int) throws(CompressionError) -> [UInt8] {
        try compressor(for: type).compress(body, level: level)
    }

    public func decompress(_ body: [UInt8], type: CompressionType) throws(CompressionError) -> [UInt8] {
        try compressor(for: type).decompress(body)
    }

    /// Decodes a stored/pulled message body: returns it unchanged unless SYSFLAG bit 0 is set, otherwise
    /// decompresses it with the algorithm from bits 8–10.
    public func decompressBody(_ body: [UInt8], sysFlag: Int32) throws(CompressionError) -> [UInt8] {
        guard sysFlag & MessageSysFlag.compressed != 0 else { return body }
        return try compressor(for: CompressionType.fromSysFlag(sysFlag)).decompress(body)
    }

    /// Producer side (Java `DefaultMQProducerImpl.tryToCompressMessage`): compresses bodies strictly larger
    /// than `threshold` and returns the new body with the sysflag bits to OR in
    /// (`MessageSysFlag.compressed | type.sysFlagBits`), or nil when the body should be sent as is.
    public func compressBodyIfNeeded(
        _ body: [UInt8], type: CompressionType = CompressionDefaults.compressType,
        level: Int = CompressionDefaults.compressLevel,
        threshold: Int = CompressionDefaults.compressMsgBodyOverHowmuch
    ) throws(CompressionError) -> (body: [UInt8], sysFlagBits: Int32)? {
        guard body.count > threshold else { return nil }
        let compressed = try compress(body, type: type, level: level)
        return (compressed, MessageSysFlag.compressed | type.sysFlagBits)
    }
}
