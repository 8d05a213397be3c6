//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// Message body compression algorithms (Java `CompressionType`).
///
/// Raw values are upstream's `getValue()` numbers (LZ4 = 1, ZSTD = 2, ZLIB = 3), which are also the
/// value of SYSFLAG bits 8–10 (`MessageSysFlag.compressionTypeMask`). A type value of 0 in a sysflag
/// means zlib (messages from producers that predate the type bits, and every C++ producer).
public enum CompressionType: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case zlib = 3
    case lz4 = 1
    case zstd = 2

    /// Upstream spelling (`LZ4`, `ZSTD`, `ZLIB`).
    public var name: String {
        switch self {
        case .zlib: "ZLIB"
        case .lz4: "LZ4"
        case .zstd: "ZSTD"
        }
    }

    public var description: String { name }

    /// Parses a type name as Java's `CompressionType.of` (trimmed, case-insensitive).
    public static func named(_ name: String) throws(CompressionError) -> CompressionType {
        let trimmed = name.trimmingWhitespace().uppercased()
        for type in allCases where type.name == trimmed { return type }
        throw .unknownTypeName(name)
    }

    /// Maps a type value as Java's `CompressionType.findByValue`: 0 and 3 → zlib, 1 → lz4, 2 → zstd.
    public static func fromValue(_ value: Int32) throws(CompressionError) -> CompressionType {
        switch value {
        case 0, 3: return .zlib
        case 1: return .lz4
        case 2: return .zstd
        default: throw .unknownTypeValue(value)
        }
    }

    /// The compression type encoded in a message's SYSFLAG (bits 8–10).
    ///
    /// Only meaningful when `MessageSysFlag.compressed` is set; callers should check that bit first
    /// (see `CompressorRegistry.decompressBody(_:sysFlag:)`). Values 4–7 are rejected.
    public static func fromSysFlag(_ sysFlag: Int32) throws(CompressionError) -> CompressionType {
        try fromValue((sysFlag & MessageSysFlag.compressionTypeMask) >> 8)
    }

    /// The SYSFLAG bits for this type (Java `getCompressionFlag`): lz4 0x100, zstd 0x200, zlib 0x300.
    ///
    /// Producers OR this together with `MessageSysFlag.compressed`.
    public var sysFlagBits: Int32 {
        switch self {
        case .lz4: MessageSysFlag.compressionLZ4
        case .zstd: MessageSysFlag.compressionZSTD
        case .zlib: MessageSysFlag.compressionZLIB
        }
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}

/// Upstream producer defaults for body compression (Java `DefaultMQProducer`).
public enum CompressionDefaults {
    /// Bodies strictly larger than this are compressed (`compressMsgBodyOverHowmuch`, 4 KiB).
    public static let compressMsgBodyOverHowmuch = 4096
    /// `rocketmq.message.compressLevel` default.
    public static let compressLevel = 5
    /// `rocketmq.message.compressType` default.
    public static let compressType = CompressionType.zlib
    /// Default cap on the size of a decompressed body (64 MiB); larger output is an error.
    public static let maxDecompressedSize = 64 * 1024 * 1024
}
