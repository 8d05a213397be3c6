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
    static let queueOffsetPosition = StoredRecordLayout.queueOffsetPosition
    static let physicalOffsetPosition = StoredRecordLayout.physicalOffsetPosition

    /// Position of STORETIMESTAMP inside a record with this sysFlag.
    static func storeTimestampPosition(sysFlag: Int32) -> Int { StoredRecordLayout.storeTimestampPosition(sysFlag: sysFlag) }

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
        guard topicLength > 0, topicLength <= StoredRecordLayout.maxTopicLength else {
            throw Rejection(status: .messageIllegal, remark: "topic length \(topicLength) not in 1...127")
        }
        let propertiesLength = message.propertiesString.utf8.count
        guard propertiesLength <= StoredRecordLayout.maxPropertiesLength else {
            throw Rejection(status: .propertiesSizeExceeded, remark: "properties size \(propertiesLength) exceeds 32767")
        }
        var sysFlag = message.sysFlag & ~(MessageSysFlag.bornHostV6 | MessageSysFlag.storeHostV6)
        if message.bornHost.address.count == 16 { sysFlag |= MessageSysFlag.bornHostV6 }
        if message.storeHost.address.count == 16 { sysFlag |= MessageSysFlag.storeHostV6 }
        let bodyCRC = message.body.withUnsafeReadableBytes { CRC32.bodyCRC($0) }
        // QUEUEOFFSET, PHYSICALOFFSET and STORETIMESTAMP are patched under the lock.
        StoredRecordLayout.write(
            into: &buffer, bodyCRC: bodyCRC, queueID: message.queueID, flag: message.flag, queueOffset: 0,
            physicalOffset: 0, sysFlag: sysFlag, bornTimestamp: message.bornTimestamp, bornHost: message.bornHost,
            storeTimestamp: 0, storeHost: message.storeHost, reconsumeTimes: message.reconsumeTimes,
            preparedTransactionOffset: message.preparedTransactionOffset, body: message.body, topic: message.topic,
            properties: message.propertiesString)
        return sysFlag
    }
}
