//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore

/// Bytes of one stored record (or range) inside a mapped file (Java `SelectMappedBufferResult`).
///
/// Holds a strong reference to the file, so the memory stays mapped while the slice lives even if
/// retention deletes the file meanwhile. Reading is zero-copy until ``withUnsafeBytes(_:)`` or
/// ``GetMessageResult/writeMessages(into:)`` copies it.
public struct SelectMappedBufferResult: Sendable {
    let mappedFile: MappedFile
    /// Position inside the mapped file.
    let position: Int
    public let size: Int

    init(mappedFile: MappedFile, position: Int, size: Int) {
        self.mappedFile = mappedFile
        self.position = position
        self.size = size
    }

    /// Global commit-log (or consume-queue byte) offset of the first byte.
    public var startOffset: Int64 { self.mappedFile.fileFromOffset + Int64(self.position) }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: self.mappedFile.readPointer + self.position, count: self.size))
    }

    /// A copy of the bytes as a `ByteBuffer`.
    public var byteBuffer: ByteBuffer {
        self.withUnsafeBytes { ByteBuffer(bytes: $0) }
    }
}
