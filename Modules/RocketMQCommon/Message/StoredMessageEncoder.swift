//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore

/// Writes a `MessageExt` in upstream's stored layout (PROTOCOL.md §6.1, V1 magic), for bodies that carry
/// stored messages outside the commit log (CHECK_TRANSACTION_STATE, CONSUME_MESSAGE_DIRECTLY).
/// `MessageDecoder` reads it back.
public enum StoredMessageEncoder {
    public static func encode(_ m: MessageExt, into buffer: inout ByteBuffer) {
        let properties = MessageProperties.encode(m.properties)
        let start = buffer.writerIndex
        var sysFlag = m.sysFlag
        sysFlag = m.bornHost.isIPv6 ? sysFlag | MessageSysFlag.bornHostV6 : sysFlag & ~MessageSysFlag.bornHostV6
        sysFlag = m.storeHost.isIPv6 ? sysFlag | MessageSysFlag.storeHostV6 : sysFlag & ~MessageSysFlag.storeHostV6
        buffer.writeInteger(Int32(0))
        buffer.writeInteger(MessageDecoder.messageMagicCode)
        buffer.writeInteger(CRC32.bodyCRC(m.body))
        buffer.writeInteger(m.queueID)
        buffer.writeInteger(m.flag)
        buffer.writeInteger(m.queueOffset)
        buffer.writeInteger(m.commitLogOffset)
        buffer.writeInteger(sysFlag)
        buffer.writeInteger(m.bornTimestamp)
        buffer.writeBytes(m.bornHost.address)
        buffer.writeInteger(m.bornHost.port)
        buffer.writeInteger(m.storeTimestamp)
        buffer.writeBytes(m.storeHost.address)
        buffer.writeInteger(m.storeHost.port)
        buffer.writeInteger(m.reconsumeTimes)
        buffer.writeInteger(m.preparedTransactionOffset)
        buffer.writeInteger(Int32(m.body.count))
        buffer.writeBytes(m.body)
        let topic = Array(m.topic.utf8.prefix(255))
        buffer.writeInteger(UInt8(topic.count))
        buffer.writeBytes(topic)
        let props = Array(properties.utf8.prefix(Int(Int16.max)))
        buffer.writeInteger(Int16(props.count))
        buffer.writeBytes(props)
        buffer.setInteger(Int32(buffer.writerIndex - start), at: start)
    }

    public static func encode(_ m: MessageExt) -> ByteBuffer {
        var buffer = ByteBuffer()
        encode(m, into: &buffer)
        return buffer
    }
}
