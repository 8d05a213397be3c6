//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// Several messages for one topic sent in one request (Java `MessageBatch`, body of PROTOCOL.md §6.5).
public enum MessageBatch {
    /// Encodes one record: TOTALSIZE, MAGICCODE 0, BODYCRC 0, FLAG, BODYLEN+BODY, PROPERTIESLEN+PROPERTIES
    /// (big-endian, as Java's `MessageDecoder.encodeMessage`).
    public static func encode(_ message: Message) -> [UInt8] {
        let properties = Array(MessageProperties.encode(message.properties).utf8)
        let total = 4 + 4 + 4 + 4 + 4 + message.body.count + 2 + properties.count
        var out: [UInt8] = []
        out.reserveCapacity(total)
        func int32(_ v: Int32) {
            let u = UInt32(bitPattern: v)
            out.append(contentsOf: [UInt8(u >> 24), UInt8(u >> 16 & 0xFF), UInt8(u >> 8 & 0xFF), UInt8(u & 0xFF)])
        }
        int32(Int32(total))
        int32(0)
        int32(0)
        int32(message.flag)
        int32(Int32(message.body.count))
        out.append(contentsOf: message.body)
        let p = UInt16(truncatingIfNeeded: properties.count)
        out.append(contentsOf: [UInt8(p >> 8), UInt8(p & 0xFF)])
        out.append(contentsOf: properties)
        return out
    }

    /// Concatenated records of all messages.
    public static func encode(_ messages: [Message]) -> [UInt8] {
        var out: [UInt8] = []
        for message in messages { out.append(contentsOf: encode(message)) }
        return out
    }

    /// Upstream's batch rules: not empty, one topic, no delay, no retry topic, same `waitStoreMsgOK`.
    public static func validate(_ messages: [Message]) throws(ClientError) {
        guard let first = messages.first else { throw .illegalArgument("the batch is empty") }
        for message in messages {
            if message.delayTimeLevel > 0 { throw .illegalArgument("TimeDelayLevel is not supported for batching") }
            if MixAll.isRetryTopic(message.topic) {
                throw .illegalArgument("Retry Group is not supported for batching")
            }
            if message.topic != first.topic {
                throw .illegalArgument("The topic of the messages in one batch should be the same")
            }
            if message.waitStoreMsgOK != first.waitStoreMsgOK {
                throw .illegalArgument("The waitStoreMsgOK of the messages in one batch should the same")
            }
        }
    }
}
