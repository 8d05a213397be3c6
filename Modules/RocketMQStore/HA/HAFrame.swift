//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore

/// The two frames of classic RocketMQ replication (Java `DefaultHAConnection` / `DefaultHAClient`),
/// raw big-endian on the HA port, no remoting framing:
///
/// - slave → master: an 8-byte offset report `[int64 maxPhyOffset]`; the first one says where to
///   start, later ones acknowledge what the slave has written.
/// - master → slave: a transfer `[int64 phyOffset][int32 bodySize][bodySize bytes of commit log]`;
///   `bodySize` 0 is a heartbeat.
public enum HAFrame {
    public static let reportSize = 8
    public static let transferHeaderSize = 12

    /// Nanoseconds between two monotonic readings, 0 when `end` was read before `start` (a timestamp
    /// refreshed by a write in the same turn must not underflow the housekeeping arithmetic).
    @inline(__always)
    static func nanos(from start: UInt64, to end: UInt64) -> UInt64 { end > start ? end - start : 0 }

    /// Writes one slave offset report.
    public static func writeReport(_ offset: Int64, into buffer: inout ByteBuffer) {
        buffer.writeInteger(offset, endianness: .big)
    }

    /// Writes a transfer header; the body (commit-log bytes) follows it.
    public static func writeTransferHeader(offset: Int64, bodySize: Int32, into buffer: inout ByteBuffer) {
        buffer.writeInteger(offset, endianness: .big)
        buffer.writeInteger(bodySize, endianness: .big)
    }
}

/// Why an HA peer's bytes were refused.
public enum HAFrameError: Error, Equatable, Sendable, CustomStringConvertible {
    case negativeBodySize(Int32)
    case bodyTooLarge(Int32, limit: Int)
    case negativeOffset(Int64)

    public var description: String {
        switch self {
        case .negativeBodySize(let size): return "transfer body size \(size) is negative"
        case .bodyTooLarge(let size, let limit): return "transfer body of \(size) bytes exceeds the \(limit)-byte limit"
        case .negativeOffset(let offset): return "offset \(offset) is negative"
        }
    }
}

/// One master → slave transfer.
public struct HATransfer: Equatable, Sendable {
    public var offset: Int64
    /// The commit-log bytes (a slice of the received buffer; empty for a heartbeat).
    public var body: ByteBuffer
}

/// Cuts the master's byte stream into transfers (the slave's side of the wire).
///
/// A plain struct with no NIO context (like the remoting frame parser): feed bytes with
/// ``append(_:)``, take transfers with ``next()`` until it returns nil.
public struct HATransferParser: Sendable {
    private var buffer = ByteBuffer()
    /// Largest body accepted; anything larger is not a RocketMQ master (its batches are 32 KiB by default).
    public let maxBodySize: Int

    public init(maxBodySize: Int) {
        self.maxBodySize = maxBodySize
    }

    public mutating func append(_ bytes: ByteBuffer) {
        if self.buffer.readableBytes == 0 {
            self.buffer = bytes
        } else {
            var bytes = bytes
            self.buffer.writeBuffer(&bytes)
        }
    }

    public var bufferedBytes: Int { self.buffer.readableBytes }

    public mutating func next() throws(HAFrameError) -> HATransfer? {
        guard let offset = self.buffer.getInteger(at: self.buffer.readerIndex, endianness: .big, as: Int64.self),
            let size = self.buffer.getInteger(at: self.buffer.readerIndex + 8, endianness: .big, as: Int32.self)
        else { return nil }
        guard offset >= 0 else { throw .negativeOffset(offset) }
        guard size >= 0 else { throw .negativeBodySize(size) }
        guard Int(size) <= self.maxBodySize else { throw .bodyTooLarge(size, limit: self.maxBodySize) }
        guard self.buffer.readableBytes >= HAFrame.transferHeaderSize + Int(size) else { return nil }
        self.buffer.moveReaderIndex(forwardBy: HAFrame.transferHeaderSize)
        let body = self.buffer.readSlice(length: Int(size))!
        if self.buffer.readableBytes == 0 { self.buffer.clear() }
        return HATransfer(offset: offset, body: body)
    }

    /// Compacts the buffer once parsed bytes pile up (keeps memory bounded on a long link).
    public mutating func compact() {
        if self.buffer.readerIndex > 1 << 20 { self.buffer.discardReadBytes() }
    }
}

/// Reads the slave's offset reports (the master's side of the wire): only the last complete
/// 8-byte value of what arrived counts, as upstream's master reads them.
public struct HAReportParser: Sendable {
    private var partial = ByteBuffer()

    public init() {}

    /// The newest complete report in `bytes` (with earlier leftovers), or nil when none completed.
    public mutating func append(_ bytes: ByteBuffer) -> Int64? {
        var bytes = bytes
        self.partial.writeBuffer(&bytes)
        let complete = self.partial.readableBytes / HAFrame.reportSize
        guard complete > 0 else { return nil }
        self.partial.moveReaderIndex(forwardBy: (complete - 1) * HAFrame.reportSize)
        let value = self.partial.readInteger(endianness: .big, as: Int64.self)
        self.partial.discardReadBytes()
        return value
    }
}
