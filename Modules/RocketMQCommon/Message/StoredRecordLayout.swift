//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore

/// Upstream's stored-message record (PROTOCOL.md §6.1, V1 magic; Java `CommitLog` and `MessageDecoder`),
/// written down once: the commit log's encoder and checker, the broker's stored-message bodies, the
/// pull decoder and the compression plugin's scanner all take their offsets and the field order from
/// here.
///
/// ```
/// TOTALSIZE i32 | MAGICCODE i32 | BODYCRC i32 | QUEUEID i32 | FLAG i32 | QUEUEOFFSET i64 | PHYSICALOFFSET i64
/// | SYSFLAG i32 | BORNTIMESTAMP i64 | BORNHOST 4|16 + port i32 | STORETIMESTAMP i64 | STOREHOST 4|16 + port i32
/// | RECONSUMETIMES i32 | PREPAREDTRANSACTIONOFFSET i64 | BODYLENGTH i32 + body | TOPICLENGTH u8 + topic
/// | PROPERTIESLENGTH i16 + properties
/// ```
/// The fields after BORNTIMESTAMP move with the host widths, which SYSFLAG's V6 bits give.
public enum StoredRecordLayout {
    public static let totalSizePosition = 0
    public static let magicCodePosition = 4
    public static let bodyCRCPosition = 8
    public static let queueIDPosition = 12
    public static let flagPosition = 16
    public static let queueOffsetPosition = 20
    public static let physicalOffsetPosition = 28
    public static let sysFlagPosition = 36
    public static let bornTimestampPosition = 40
    public static let bornHostPosition = 48
    /// A record with IPv4 hosts and an empty body, topic and properties (Java's 91-byte overhead).
    public static let minimumLength = recordLength(sysFlag: 0, bodyLength: 0, topicLength: 0, propertiesLength: 0)
    /// TOPICLENGTH is one byte; `TopicValidator` allows 127.
    public static let maxTopicLength = 127
    public static let maxPropertiesLength = Int(Int16.max)

    /// Address bytes of a host (4, or 16 for IPv6).
    @inlinable
    public static func addressLength(v6: Bool) -> Int { v6 ? 16 : 4 }
    /// BORNHOST with its port.
    @inlinable
    public static func bornHostLength(sysFlag: Int32) -> Int {
        addressLength(v6: sysFlag & MessageSysFlag.bornHostV6 != 0) + 4
    }
    /// STOREHOST with its port.
    @inlinable
    public static func storeHostLength(sysFlag: Int32) -> Int {
        addressLength(v6: sysFlag & MessageSysFlag.storeHostV6 != 0) + 4
    }
    @inlinable
    public static func storeTimestampPosition(sysFlag: Int32) -> Int { bornHostPosition + bornHostLength(sysFlag: sysFlag) }
    @inlinable
    public static func reconsumeTimesPosition(sysFlag: Int32) -> Int {
        storeTimestampPosition(sysFlag: sysFlag) + 8 + storeHostLength(sysFlag: sysFlag)
    }
    @inlinable
    public static func preparedTransactionOffsetPosition(sysFlag: Int32) -> Int { reconsumeTimesPosition(sysFlag: sysFlag) + 4 }
    @inlinable
    public static func bodyLengthPosition(sysFlag: Int32) -> Int { preparedTransactionOffsetPosition(sysFlag: sysFlag) + 8 }
    /// The first body byte; the topic length byte follows the body.
    @inlinable
    public static func bodyPosition(sysFlag: Int32) -> Int { bodyLengthPosition(sysFlag: sysFlag) + 4 }

    /// Total record length (Java `calMsgLength`).
    @inlinable
    public static func recordLength(sysFlag: Int32, bodyLength: Int, topicLength: Int, propertiesLength: Int) -> Int {
        bodyPosition(sysFlag: sysFlag) + bodyLength + 1 + topicLength + 2 + propertiesLength
    }

    /// Appends one record. The caller has checked the lengths (topic ≤ 255 bytes, properties ≤ 32767)
    /// and set SYSFLAG's V6 bits to the hosts' widths; a host whose address has the other width is
    /// written as zeros.
    @inlinable
    public static func write(
        into buffer: inout ByteBuffer, bodyCRC: Int32, queueID: Int32, flag: Int32, queueOffset: Int64,
        physicalOffset: Int64, sysFlag: Int32, bornTimestamp: Int64, bornHost: SocketAddressBytes,
        storeTimestamp: Int64, storeHost: SocketAddressBytes, reconsumeTimes: Int32, preparedTransactionOffset: Int64,
        body: ByteBuffer, topic: String, properties: String
    ) {
        let topicLength = topic.utf8.count
        let propertiesLength = properties.utf8.count
        let total = recordLength(
            sysFlag: sysFlag, bodyLength: body.readableBytes, topicLength: topicLength, propertiesLength: propertiesLength)
        buffer.reserveCapacity(minimumWritableBytes: total)
        buffer.writeInteger(Int32(total))
        buffer.writeInteger(MessageDecoder.messageMagicCode)
        buffer.writeInteger(bodyCRC)
        buffer.writeInteger(queueID)
        buffer.writeInteger(flag)
        buffer.writeInteger(queueOffset)
        buffer.writeInteger(physicalOffset)
        buffer.writeInteger(sysFlag)
        buffer.writeInteger(bornTimestamp)
        writeHost(bornHost, v6: sysFlag & MessageSysFlag.bornHostV6 != 0, into: &buffer)
        buffer.writeInteger(storeTimestamp)
        writeHost(storeHost, v6: sysFlag & MessageSysFlag.storeHostV6 != 0, into: &buffer)
        buffer.writeInteger(reconsumeTimes)
        buffer.writeInteger(preparedTransactionOffset)
        buffer.writeInteger(Int32(body.readableBytes))
        buffer.writeImmutableBuffer(body)
        buffer.writeInteger(UInt8(truncatingIfNeeded: topicLength))
        buffer.writeString(topic)
        buffer.writeInteger(Int16(truncatingIfNeeded: propertiesLength))
        buffer.writeString(properties)
    }

    @inlinable
    static func writeHost(_ host: SocketAddressBytes, v6: Bool, into buffer: inout ByteBuffer) {
        let length = addressLength(v6: v6)
        if host.address.count == length {
            buffer.writeBytes(host.address)
        } else {
            buffer.writeRepeatingByte(0, count: length)
        }
        buffer.writeInteger(host.port)
    }
}
