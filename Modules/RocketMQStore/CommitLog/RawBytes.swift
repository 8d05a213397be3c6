//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Big-endian loads and stores on mapped memory: every store file uses Java's byte order.
///
/// Offsets inside records are not aligned, so these use the unaligned forms.
extension UnsafeRawPointer {
    @inline(__always)
    func loadInt32BE(at offset: Int) -> Int32 {
        Int32(bigEndian: self.loadUnaligned(fromByteOffset: offset, as: Int32.self))
    }

    @inline(__always)
    func loadInt64BE(at offset: Int) -> Int64 {
        Int64(bigEndian: self.loadUnaligned(fromByteOffset: offset, as: Int64.self))
    }

    @inline(__always)
    func loadInt16BE(at offset: Int) -> Int16 {
        Int16(bigEndian: self.loadUnaligned(fromByteOffset: offset, as: Int16.self))
    }
}

extension UnsafeMutableRawPointer {
    @inline(__always)
    func storeInt32BE(_ value: Int32, at offset: Int) {
        self.storeBytes(of: value.bigEndian, toByteOffset: offset, as: Int32.self)
    }

    @inline(__always)
    func storeInt64BE(_ value: Int64, at offset: Int) {
        self.storeBytes(of: value.bigEndian, toByteOffset: offset, as: Int64.self)
    }
}
