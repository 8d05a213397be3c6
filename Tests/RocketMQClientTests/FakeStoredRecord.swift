//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon

/// Stored records (IPv4 hosts) for fake pull bodies, written by Common's `StoredMessageEncoder`.
enum FakeStoredRecord {
    static func encode(topic: String, queueID: Int32, queueOffset: Int64, commitLogOffset: Int64,
                       properties: [String: String], body: [UInt8], sysFlag: Int32 = 0) -> [UInt8] {
        let now = Clock.millis()
        let message = MessageExt(
            topic: topic, flag: 0, properties: properties, body: body, storeSize: 0, bodyCRC: 0, queueID: queueID,
            queueOffset: queueOffset, commitLogOffset: commitLogOffset, sysFlag: sysFlag, bornTimestamp: now,
            bornHost: SocketAddressBytes(address: [127, 0, 0, 1], port: 5555), storeTimestamp: now,
            storeHost: SocketAddressBytes(address: [127, 0, 0, 1], port: 10911), reconsumeTimes: 0,
            preparedTransactionOffset: 0)
        let buffer = StoredMessageEncoder.encode(message)
        return buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
    }
}
