//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon
import Testing

/// Stored records (PROTOCOL.md §6.1, V1 magic) written field by field here, independently of
/// `StoredMessageEncoder`, then decoded.
@Suite("MessageDecoder")
struct MessageDecoderTests {
    struct Record {
        var queueID: Int32 = 3
        var flag: Int32 = 7
        var queueOffset: Int64 = 42
        var physicalOffset: Int64 = 1024
        var sysFlag: Int32 = 0
        var bornTimestamp: Int64 = 1_700_000_000_000
        var bornAddress: [UInt8] = [192, 168, 0, 5]
        var bornPort: Int32 = 54321
        var storeTimestamp: Int64 = 1_700_000_000_123
        var storeAddress: [UInt8] = [10, 0, 0, 1]
        var storePort: Int32 = 10911
        var reconsumeTimes: Int32 = 2
        var preparedTransactionOffset: Int64 = 0
        var bodyCRC: Int32 = 2_010_220_930  // CRC32("Hello") & 0x7FFFFFFF
        var body: [UInt8] = Array("Hello".utf8)
        var topic = "TopicTest"
        /// Java 4.x writes a separator after every pair, the last one included.
        var properties = "TAGS\u{1}TagA\u{2}KEYS\u{1}k1 k2\u{2}UNIQ_KEY\u{1}7F0000010001000000000000000A\u{2}"

        func write(into buffer: inout ByteBuffer) {
            let start = buffer.writerIndex
            buffer.writeInteger(Int32(0))  // TOTALSIZE, patched below
            buffer.writeInteger(Int32(bitPattern: 0xDAA3_20A7))
            buffer.writeInteger(self.bodyCRC)
            buffer.writeInteger(self.queueID)
            buffer.writeInteger(self.flag)
            buffer.writeInteger(self.queueOffset)
            buffer.writeInteger(self.physicalOffset)
            buffer.writeInteger(self.sysFlag)
            buffer.writeInteger(self.bornTimestamp)
            buffer.writeBytes(self.bornAddress)
            buffer.writeInteger(self.bornPort)
            buffer.writeInteger(self.storeTimestamp)
            buffer.writeBytes(self.storeAddress)
            buffer.writeInteger(self.storePort)
            buffer.writeInteger(self.reconsumeTimes)
            buffer.writeInteger(self.preparedTransactionOffset)
            buffer.writeInteger(Int32(self.body.count))
            buffer.writeBytes(self.body)
            buffer.writeInteger(UInt8(self.topic.utf8.count))
            buffer.writeString(self.topic)
            buffer.writeInteger(Int16(self.properties.utf8.count))
            buffer.writeString(self.properties)
            buffer.setInteger(Int32(buffer.writerIndex - start), at: start)
        }

        var bytes: ByteBuffer {
            var buffer = ByteBuffer()
            self.write(into: &buffer)
            return buffer
        }
    }

    @Test func decodesEveryFieldOfAGoldenRecord() throws {
        let buffer = Record().bytes
        // 91 fixed bytes (IPv4/IPv4) + body + topic + properties.
        #expect(buffer.readableBytes == 91 + 5 + 9 + 59)
        let messages = try MessageDecoder.decodeAll(buffer)
        #expect(messages.count == 1)
        let m = try #require(messages.first)
        #expect(m.storeSize == Int32(buffer.readableBytes))
        #expect(m.bodyCRC == 2_010_220_930)
        #expect(m.queueID == 3 && m.flag == 7 && m.queueOffset == 42 && m.commitLogOffset == 1024)
        #expect(m.sysFlag == 0 && m.reconsumeTimes == 2 && m.preparedTransactionOffset == 0)
        #expect(m.bornTimestamp == 1_700_000_000_000 && m.storeTimestamp == 1_700_000_000_123)
        #expect(m.bornHost == SocketAddressBytes(address: [192, 168, 0, 5], port: 54321))
        #expect(m.storeHost == SocketAddressBytes(address: [10, 0, 0, 1], port: 10911))
        #expect(m.topic == "TopicTest")
        #expect(m.bodyString == "Hello")
        #expect(m.properties == ["TAGS": "TagA", "KEYS": "k1 k2", "UNIQ_KEY": "7F0000010001000000000000000A"])
        #expect(m.tags == "TagA" && m.keys == "k1 k2")
        // msgId is UNIQ_KEY; offsetMsgId is store host + port + physical offset in hex (§7.1).
        #expect(m.msgID == "7F0000010001000000000000000A")
        #expect(m.offsetMsgID == "0A00000100002A9F0000000000000400")
    }

    @Test func decodesABatchOfBackToBackRecordsWithIPv6HostsAndUnicode() throws {
        var second = Record()
        second.queueOffset = 43
        second.physicalOffset = 1205
        second.sysFlag = MessageSysFlag.bornHostV6 | MessageSysFlag.storeHostV6 | MessageSysFlag.transactionCommitType
        second.bornAddress = [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [1]
        second.storeAddress = [UInt8](repeating: 0, count: 15) + [1]
        second.preparedTransactionOffset = 512
        second.bodyCRC = 1_075_737_323  // CRC32("世界") & 0x7FFFFFFF
        second.body = Array("世界".utf8)
        second.topic = "主题-%RETRY%g"
        // Newer Java drops the trailing separator.
        second.properties = "a\u{1}女\u{2}empty\u{1}"
        var buffer = ByteBuffer()
        Record().write(into: &buffer)
        second.write(into: &buffer)

        let messages = try MessageDecoder.decodeAll(buffer)
        #expect(messages.map(\.queueOffset) == [42, 43])
        let m = messages[1]
        #expect(m.bornHost.isIPv6 && m.storeHost.isIPv6)
        #expect(m.bornHost == SocketAddressBytes(address: second.bornAddress, port: 54321))
        #expect(m.storeHost == SocketAddressBytes(address: second.storeAddress, port: 10911))
        #expect(m.storeSize == Int32(91 + 24 + 6 + second.topic.utf8.count + second.properties.utf8.count))
        #expect(m.preparedTransactionOffset == 512)
        #expect(MessageSysFlag.transactionValue(m.sysFlag) == MessageSysFlag.transactionCommitType)
        #expect(m.topic == "主题-%RETRY%g")
        #expect(m.bodyString == "世界")
        // A pair with an empty value is dropped, as Java's string2messageProperties does.
        #expect(m.properties == ["a": "女"])

        // Without bodies (as for a tag-only scan): same records, empty bodies.
        let headers = try MessageDecoder.decodeAll(buffer, readBody: false)
        #expect(headers.map(\.body) == [[], []])
        #expect(headers.map(\.topic) == ["TopicTest", "主题-%RETRY%g"])

        // decodeOne advances past exactly one record.
        var cursor = buffer
        _ = try MessageDecoder.decodeOne(&cursor)
        #expect(cursor.readableBytes == Int(m.storeSize))
    }

    @Test func roundTripsThroughStoredMessageEncoder() throws {
        let original = try #require(try MessageDecoder.decodeAll(Record().bytes).first)
        let reencoded = StoredMessageEncoder.encode(original)
        let decoded = try #require(try MessageDecoder.decodeAll(reencoded).first)
        #expect(decoded == MessageExt(
            topic: original.topic, flag: original.flag, properties: original.properties, body: original.body,
            storeSize: Int32(reencoded.readableBytes), bodyCRC: CRC32.bodyCRC(original.body),
            queueID: original.queueID, queueOffset: original.queueOffset, commitLogOffset: original.commitLogOffset,
            sysFlag: original.sysFlag, bornTimestamp: original.bornTimestamp, bornHost: original.bornHost,
            storeTimestamp: original.storeTimestamp, storeHost: original.storeHost,
            reconsumeTimes: original.reconsumeTimes, preparedTransactionOffset: original.preparedTransactionOffset))
        // The encoder writes properties without the trailing separator: one byte shorter than the golden record.
        #expect(reencoded.readableBytes == Record().bytes.readableBytes - 1)
        #expect(decoded.bodyCRC == 2_010_220_930)
    }

    @Test func refusesTruncatedAndForeignBytes() throws {
        let good = Record().bytes
        #expect(throws: MessageDecodingError.self) { try MessageDecoder.decodeAll(good.getSlice(at: 0, length: 50)!) }
        #expect(throws: MessageDecodingError.self) {
            try MessageDecoder.decodeAll(good.getSlice(at: 0, length: good.readableBytes - 1)!)
        }
        var badMagic = good
        badMagic.setInteger(Int32(0x1234_5678), at: 4)
        #expect(throws: MessageDecodingError.self) { try MessageDecoder.decodeAll(badMagic) }
        var blank = good
        blank.setInteger(MessageDecoder.blankMagicCode, at: 4)
        #expect(throws: MessageDecodingError.self) { try MessageDecoder.decodeAll(blank) }
        // A TOTALSIZE larger than the buffer, and one too small to hold the fixed fields.
        var tooLong = good
        tooLong.setInteger(Int32(good.readableBytes + 1), at: 0)
        #expect(throws: MessageDecodingError.self) { try MessageDecoder.decodeAll(tooLong) }
        var tooShort = good
        tooShort.setInteger(Int32(60), at: 0)
        #expect(throws: MessageDecodingError.self) { try MessageDecoder.decodeAll(tooShort) }
        // A good record followed by a partial one fails as a whole.
        var trailing = good
        trailing.writeBytes([0, 0, 0, 9])
        #expect(throws: MessageDecodingError.self) { try MessageDecoder.decodeAll(trailing) }
        #expect(try MessageDecoder.decodeAll(ByteBuffer()).isEmpty)
    }

    /// Found by fuzzing (Tests/Fuzz/Crashers/FuzzStoredMessage): a body length past the record's end trapped when
    /// bodies were skipped (`readBody: false`); it is refused like any truncated record, with or without bodies.
    @Test func bodyLengthBeyondTheRecordIsRefusedWhenBodiesAreSkipped() throws {
        var buffer = Record().bytes
        // BODYLENGTH sits after 84 fixed bytes with IPv4 hosts.
        #expect(buffer.getInteger(at: 84, as: Int32.self) == 5)
        buffer.setInteger(Int32(1000), at: 84)
        for readBody in [false, true] {
            let error = #expect(throws: MessageDecodingError.self) {
                try MessageDecoder.decodeAll(buffer, readBody: readBody)
            }
            #expect(error?.reason == "body beyond the record")
            var cursor = buffer
            #expect(throws: MessageDecodingError.self) { try MessageDecoder.decodeOne(&cursor, readBody: readBody) }
        }
    }
}

