//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore

/// Writes a `MessageExt` in upstream's stored layout (PROTOCOL.md §6.1, V1 magic), for bodies that carry
/// stored messages outside the commit log (CHECK_TRANSACTION_STATE, CONSUME_MESSAGE_DIRECTLY).
/// `MessageDecoder` reads it back.
public enum StoredMessageEncoder {
    public static func encode(_ m: MessageExt, into buffer: inout ByteBuffer) {
        var sysFlag = m.sysFlag
        sysFlag = m.bornHost.isIPv6 ? sysFlag | MessageSysFlag.bornHostV6 : sysFlag & ~MessageSysFlag.bornHostV6
        sysFlag = m.storeHost.isIPv6 ? sysFlag | MessageSysFlag.storeHostV6 : sysFlag & ~MessageSysFlag.storeHostV6
        var topic = m.topic
        if topic.utf8.count > 255 { topic = String(decoding: topic.utf8.prefix(255), as: UTF8.self) }
        var properties = MessageProperties.encode(m.properties)
        if properties.utf8.count > StoredRecordLayout.maxPropertiesLength {
            properties = String(decoding: properties.utf8.prefix(StoredRecordLayout.maxPropertiesLength), as: UTF8.self)
        }
        StoredRecordLayout.write(
            into: &buffer, bodyCRC: CRC32.bodyCRC(m.body), queueID: m.queueID, flag: m.flag, queueOffset: m.queueOffset,
            physicalOffset: m.commitLogOffset, sysFlag: sysFlag, bornTimestamp: m.bornTimestamp, bornHost: m.bornHost,
            storeTimestamp: m.storeTimestamp, storeHost: m.storeHost, reconsumeTimes: m.reconsumeTimes,
            preparedTransactionOffset: m.preparedTransactionOffset, body: ByteBuffer(bytes: m.body), topic: topic,
            properties: properties)
    }

    public static func encode(_ m: MessageExt) -> ByteBuffer {
        var buffer = ByteBuffer()
        encode(m, into: &buffer)
        return buffer
    }
}
