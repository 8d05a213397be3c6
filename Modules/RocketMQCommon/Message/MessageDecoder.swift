//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why stored-message bytes could not be decoded.
public struct MessageDecodingError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "cannot decode stored message: \(reason)" }
}

/// Reads messages in upstream's stored layout (``StoredRecordLayout``, in its field order): pull, query
/// and view bodies. Also reads the V2 magic (a two-byte topic length) that 5.x brokers may send.
public enum MessageDecoder {
    public static let messageMagicCode: Int32 = -626_843_481  // 0xDAA320A7
    public static let blankMagicCode: Int32 = -875_286_124  // 0xCBD43194

    /// Decodes every message in a buffer of back-to-back stored messages.
    public static func decodeAll(_ buffer: ByteBuffer, readBody: Bool = true) throws(MessageDecodingError) -> [MessageExt] {
        var buffer = buffer
        var result: [MessageExt] = []
        var hosts = HostCache()
        while buffer.readableBytes > 0 {
            result.append(try decodeOne(&buffer, readBody: readBody, hosts: &hosts))
        }
        return result
    }

    /// Decodes one message and advances the reader index past it.
    public static func decodeOne(_ buffer: inout ByteBuffer, readBody: Bool = true) throws(MessageDecodingError) -> MessageExt {
        var hosts = HostCache()
        return try decodeOne(&buffer, readBody: readBody, hosts: &hosts)
    }

    /// The host addresses of the previous message: messages of one pull share their store host and
    /// usually their born host, so equal bytes reuse the same array instead of allocating one each.
    struct HostCache {
        var born: [UInt8] = []
        var store: [UInt8] = []

        static func take(_ record: inout ByteBuffer, _ length: Int, _ cached: inout [UInt8]) -> [UInt8]? {
            guard let same = record.withUnsafeReadableBytes({ raw -> Bool? in
                guard raw.count >= length else { return nil }
                return cached.count == length && cached.withUnsafeBytes { memcmp($0.baseAddress!, raw.baseAddress!, length) == 0 }
            }) else { return nil }
            if same {
                record.moveReaderIndex(forwardBy: length)
                return cached
            }
            guard let bytes = record.readBytes(length: length) else { return nil }
            cached = bytes
            return bytes
        }
    }

    static func decodeOne(_ buffer: inout ByteBuffer, readBody: Bool, hosts: inout HostCache) throws(MessageDecodingError)
        -> MessageExt
    {
        let start = buffer.readerIndex
        guard let totalSize: Int32 = buffer.getInteger(at: start), totalSize >= 20,
              buffer.readableBytes >= Int(totalSize)
        else { throw MessageDecodingError("truncated record") }
        guard var record = buffer.readSlice(length: Int(totalSize)) else { throw MessageDecodingError("truncated record") }
        func int32() throws(MessageDecodingError) -> Int32 {
            guard let v: Int32 = record.readInteger() else { throw MessageDecodingError("record too short") }
            return v
        }
        func int64() throws(MessageDecodingError) -> Int64 {
            guard let v: Int64 = record.readInteger() else { throw MessageDecodingError("record too short") }
            return v
        }
        func bytes(_ n: Int) throws(MessageDecodingError) -> [UInt8] {
            guard n >= 0, let v = record.readBytes(length: n) else { throw MessageDecodingError("record too short") }
            return v
        }
        let storeSize = try int32()
        let magic = try int32()
        guard magic == messageMagicCode || magic == -626_843_477 else { throw MessageDecodingError("bad magic code") }
        let bodyCRC = try int32()
        let queueID = try int32()
        let flag = try int32()
        let queueOffset = try int64()
        let physicalOffset = try int64()
        let sysFlag = try int32()
        let bornTimestamp = try int64()
        let bornHostLength = StoredRecordLayout.addressLength(v6: sysFlag & MessageSysFlag.bornHostV6 != 0)
        guard let bornAddress = HostCache.take(&record, bornHostLength, &hosts.born) else {
            throw MessageDecodingError("record too short")
        }
        let bornPort = try int32()
        let storeTimestamp = try int64()
        let storeHostLength = StoredRecordLayout.addressLength(v6: sysFlag & MessageSysFlag.storeHostV6 != 0)
        guard let storeAddress = HostCache.take(&record, storeHostLength, &hosts.store) else {
            throw MessageDecodingError("record too short")
        }
        let storePort = try int32()
        let reconsumeTimes = try int32()
        let preparedTransactionOffset = try int64()
        let bodyLength = try int32()
        var body: [UInt8] = []
        if bodyLength > 0 {
            // Checked before skipping too: moving past the record's end would trap (found by fuzzing).
            guard record.readableBytes >= Int(bodyLength) else { throw MessageDecodingError("body beyond the record") }
            if readBody { body = try bytes(Int(bodyLength)) } else { record.moveReaderIndex(forwardBy: Int(bodyLength)) }
        }
        let topicLength: Int
        if magic == messageMagicCode {
            guard let t: UInt8 = record.readInteger() else { throw MessageDecodingError("record too short") }
            topicLength = Int(t)
        } else {
            guard let t: Int16 = record.readInteger() else { throw MessageDecodingError("record too short") }
            topicLength = Int(t)
        }
        guard let topic = record.readString(length: topicLength) else { throw MessageDecodingError("record too short") }
        guard let propertiesLength: Int16 = record.readInteger() else { throw MessageDecodingError("record too short") }
        var properties: [String: String] = [:]
        if propertiesLength > 0 {
            let length = Int(propertiesLength)
            guard record.readableBytes >= length else { throw MessageDecodingError("record too short") }
            properties = record.withUnsafeReadableBytes { raw in
                MessageProperties.decode(buffer: UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                                                     count: length))
            }
            record.moveReaderIndex(forwardBy: length)
        }
        return MessageExt(
            topic: topic, flag: flag, properties: properties, body: body, storeSize: storeSize, bodyCRC: bodyCRC,
            queueID: queueID, queueOffset: queueOffset, commitLogOffset: physicalOffset, sysFlag: sysFlag,
            bornTimestamp: bornTimestamp, bornHost: SocketAddressBytes(address: bornAddress, port: bornPort),
            storeTimestamp: storeTimestamp,
            storeHost: SocketAddressBytes(address: storeAddress, port: storePort), reconsumeTimes: reconsumeTimes,
            preparedTransactionOffset: preparedTransactionOffset)
    }
}
