//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import CZlib

/// CRC32 as upstream's `UtilAll.crc32`: zlib's polynomial, masked to 31 bits (`& 0x7FFFFFFF`).
///
/// Delegates to the system zlib, whose implementation is several times faster than a table loop;
/// the append path computes this for every body.
public enum CRC32 {
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        let value = crc32(0, base.assumingMemoryBound(to: UInt8.self), UInt32(bytes.count))
        return UInt32(truncatingIfNeeded: value)
    }

    public static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        if let v = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0)) }) { return v }
        return Array(bytes).withUnsafeBytes { checksum($0) }
    }

    /// The masked form stored in BODYCRC.
    public static func bodyCRC(_ bytes: UnsafeRawBufferPointer) -> Int32 { Int32(bitPattern: checksum(bytes) & 0x7FFF_FFFF) }
    public static func bodyCRC<C: Collection>(_ bytes: C) -> Int32 where C.Element == UInt8 {
        Int32(bitPattern: checksum(bytes) & 0x7FFF_FFFF)
    }
}
