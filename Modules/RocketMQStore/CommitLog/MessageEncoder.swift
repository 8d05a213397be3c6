//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon

/// Encodes stored records in upstream's V1 layout (PROTOCOL.md §6.1, Java `CommitLog.DefaultAppendMessageCallback`).
///
/// Encoding happens outside the commit-log lock; QUEUEOFFSET, PHYSICALOFFSET and STORETIMESTAMP are
/// written as zero here and patched in the mapped file under the lock.
enum MessageEncoder {
    static let queueOffsetPosition = 20
    static let physicalOffsetPosition = 28
    static let sysFlagPosition = 36
    static let bornTimestampPosition = 40
    static let bornHostPosition = 48
    static let maxTopicLength = 127
    static let maxPropertiesLength = Int(Int16.max)

    static func bornHostLength(sysFlag: Int32) -> Int { sysFlag & MessageSysFlag.bornHostV6 != 0 ? 20 : 8 }
    static func storeHostLength(sysFlag: Int32) -> Int { sysFlag & MessageSysFlag.storeHostV6 != 0 ? 20 : 8 }

    /// Position of STORETIMESTAMP inside a record with this sysFlag.
    static func storeTimestampPosition(sysFlag: Int32) -> Int { 48 + Self.bornHostLength(sysFlag: sysFlag) }

    /// Total record length (Java `calMsgLength`); 91 + body + topic + properties for IPv4 hosts.
    static func recordLength(sysFlag: Int32, bodyLength: Int, topicLength: Int, propertiesLength: Int) -> Int {
        4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + Self.bornHostLength(sysFlag: sysFlag) + 8
            + Self.storeHostLength(sysFlag: sysFlag) + 4 + 8 + 4 + bodyLength + 1 + topicLength + 2 + propertiesLength
    }

    /// Why a message cannot be stored.
    struct Rejection: Error {
        var status: PutMessageStatus
        var remark: String
    }

    /// Appends one encoded record to `buffer`; returns the sysFlag actually stored (with V6 host bits).
    static func encode(_ message: MessageExtBrokerInner, maxMessageSize: Int, into buffer: inout ByteBuffer)
        throws(Rejection) -> Int32
    {
        let bodyLength = message.body.readableBytes
        guard bodyLength <= maxMessageSize else {
            throw Rejection(status: .messageIllegal, remark: "message body size \(bodyLength) exceeds \(maxMessageSize)")
        }
        let topicLength = message.topic.utf8.count
        guard topicLength > 0, topicLength <= Self.maxTopicLength else {
            throw Rejection(status: .messageIllegal, remark: "topic length \(topicLength) not in 1...127")
        }
        let propertiesLength = message.propertiesString.utf8.count
        guard propertiesLength <= Self.maxPropertiesLength else {
            throw Rejection(status: .propertiesSizeExceeded, remark: "properties size \(propertiesLength) exceeds 32767")
        }
        var sysFlag = message.sysFlag & ~(MessageSysFlag.bornHostV6 | MessageSysFlag.storeHostV6)
        if message.bornHost.address.count == 16 { sysFlag |= MessageSysFlag.bornHostV6 }
        if message.storeHost.address.count == 16 { sysFlag |= MessageSysFlag.storeHostV6 }
        let total = Self.recordLength(
            sysFlag: sysFlag, bodyLength: bodyLength, topicLength: topicLength, propertiesLength: propertiesLength)
        let bodyCRC = message.body.withUnsafeReadableBytes { CRC32.bodyCRC($0) }

        buffer.reserveCapacity(minimumWritableBytes: total)
        buffer.writeInteger(Int32(total))
        buffer.writeInteger(MessageDecoder.messageMagicCode)
        buffer.writeInteger(bodyCRC)
        buffer.writeInteger(message.queueID)
        buffer.writeInteger(message.flag)
        buffer.writeInteger(Int64(0))  // QUEUEOFFSET, patched under the lock
        buffer.writeInteger(Int64(0))  // PHYSICALOFFSET, patched under the lock
        buffer.writeInteger(sysFlag)
        buffer.writeInteger(message.bornTimestamp)
        Self.writeHost(message.bornHost, v6: sysFlag & MessageSysFlag.bornHostV6 != 0, into: &buffer)
        buffer.writeInteger(Int64(0))  // STORETIMESTAMP, patched under the lock
        Self.writeHost(message.storeHost, v6: sysFlag & MessageSysFlag.storeHostV6 != 0, into: &buffer)
        buffer.writeInteger(message.reconsumeTimes)
        buffer.writeInteger(message.preparedTransactionOffset)
        buffer.writeInteger(Int32(bodyLength))
        buffer.writeImmutableBuffer(message.body)
        buffer.writeInteger(UInt8(topicLength))
        buffer.writeString(message.topic)
        buffer.writeInteger(Int16(propertiesLength))
        buffer.writeString(message.propertiesString)
        return sysFlag
    }

    private static func writeHost(_ host: SocketAddressBytes, v6: Bool, into buffer: inout ByteBuffer) {
        let length = v6 ? 16 : 4
        if host.address.count == length {
            buffer.writeBytes(host.address)
        } else {
            buffer.writeRepeatingByte(0, count: length)
        }
        buffer.writeInteger(host.port)
    }
}
