//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// Writes the stored-message layout of PROTOCOL.md §6.1 (V1 magic, IPv4 hosts) for fake pull bodies.
enum StoredMessageEncoder {
    static func encode(topic: String, queueID: Int32, queueOffset: Int64, commitLogOffset: Int64,
                       properties: [String: String], body: [UInt8], sysFlag: Int32 = 0) -> [UInt8] {
        let topicBytes = Array(topic.utf8)
        let props = Array(MessageProperties.encode(properties).utf8)
        let total = 91 + body.count + topicBytes.count + props.count
        var out: [UInt8] = []
        func i32(_ v: Int32) { let u = UInt32(bitPattern: v); for s in [24, 16, 8, 0] { out.append(UInt8(u >> UInt32(s) & 0xFF)) } }
        func i64(_ v: Int64) { let u = UInt64(bitPattern: v); for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8(u >> UInt64(s) & 0xFF)) } }
        i32(Int32(total))
        i32(MessageDecoder.messageMagicCode)
        i32(0)  // body CRC
        i32(queueID)
        i32(0)  // flag
        i64(queueOffset)
        i64(commitLogOffset)
        i32(sysFlag)
        i64(Clock.millis())
        out += [127, 0, 0, 1]
        i32(5555)
        i64(Clock.millis())
        out += [127, 0, 0, 1]
        i32(10911)
        i32(0)  // reconsume times
        i64(0)  // prepared tx offset
        i32(Int32(body.count))
        out += body
        out.append(UInt8(topicBytes.count))
        out += topicBytes
        out += [UInt8(props.count >> 8), UInt8(props.count & 0xFF)]
        out += props
        return out
    }
}
