//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon
@testable import RocketMQStore
import Testing

@Suite("Stored record layout")
struct MessageEncoderTests {
    static func goldenMessage() -> MessageExtBrokerInner {
        MessageExtBrokerInner(
            topic: "T", queueID: 1, flag: 2, body: ByteBuffer(string: "hi"), propertiesString: "K\u{1}V",
            tagsCode: 0, sysFlag: 0, bornTimestamp: 0x0102_0304_0506_0708,
            bornHost: SocketAddressBytes(address: [10, 0, 0, 1], port: 1234),
            storeHost: SocketAddressBytes(address: [192, 168, 0, 2], port: 10911), reconsumeTimes: 3,
            preparedTransactionOffset: 0x11)
    }

    /// Expected bytes written out field by field from PROTOCOL.md §6.1 (V1, IPv4/IPv4).
    static func expectedBytes(queueOffset: Int64, physicalOffset: Int64, storeTimestamp: Int64) -> [UInt8] {
        func be64(_ v: Int64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * $0)) } }
        var bytes: [UInt8] = []
        bytes += [0x00, 0x00, 0x00, 0x61]  // TOTALSIZE 97 = 91 + 2 + 1 + 3
        bytes += [0xDA, 0xA3, 0x20, 0xA7]  // MAGICCODE V1
        bytes += [0x58, 0x93, 0x2A, 0xAC]  // BODYCRC: crc32("hi") & 0x7FFFFFFF
        bytes += [0x00, 0x00, 0x00, 0x01]  // QUEUEID
        bytes += [0x00, 0x00, 0x00, 0x02]  // FLAG
        bytes += be64(queueOffset)  // QUEUEOFFSET
        bytes += be64(physicalOffset)  // PHYSICALOFFSET
        bytes += [0x00, 0x00, 0x00, 0x00]  // SYSFLAG
        bytes += [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]  // BORNTIMESTAMP
        bytes += [10, 0, 0, 1, 0x00, 0x00, 0x04, 0xD2]  // BORNHOST 10.0.0.1:1234
        bytes += be64(storeTimestamp)  // STORETIMESTAMP
        bytes += [192, 168, 0, 2, 0x00, 0x00, 0x2A, 0x9F]  // STOREHOST 192.168.0.2:10911
        bytes += [0x00, 0x00, 0x00, 0x03]  // RECONSUMETIMES
        bytes += [0, 0, 0, 0, 0, 0, 0, 0x11]  // PREPAREDTRANSACTIONOFFSET
        bytes += [0x00, 0x00, 0x00, 0x02, 0x68, 0x69]  // BODYLEN + "hi"
        bytes += [0x01, 0x54]  // TOPICLEN (int8) + "T"
        bytes += [0x00, 0x03, 0x4B, 0x01, 0x56]  // PROPERTIESLEN (int16) + "K\u1V"
        return bytes
    }

    @Test func encoderProducesUpstreamV1Layout() throws {
        var buffer = ByteBuffer()
        let sysFlag = try MessageEncoder.encode(Self.goldenMessage(), maxMessageSize: 1024, into: &buffer)
        #expect(sysFlag == 0)
        #expect(buffer.readableBytesView.elementsEqual(Self.expectedBytes(queueOffset: 0, physicalOffset: 0, storeTimestamp: 0)))
    }

    @Test func storedRecordMatchesGoldenBytesAndDecodes() async throws {
        let dir = TemporaryDirectory("golden")
        defer { dir.remove() }
        let store = try StoreTestSupport.open(StoreTestSupport.config(dir))
        defer { store.shutdown() }
        _ = await store.putMessage(StoreTestSupport.message(topic: "T", queueID: 1, body: "x"))
        let result = await store.putMessage(Self.goldenMessage())
        #expect(result.status == .putOK)
        let append = try #require(result.appendResult)
        #expect(append.logicsOffset == 1)
        let slice = try #require(store.selectOneMessageByOffset(append.wroteOffset))
        let stored = slice.withUnsafeBytes { Array($0) }
        let expected = Self.expectedBytes(
            queueOffset: 1, physicalOffset: append.wroteOffset, storeTimestamp: append.storeTimestamp)
        #expect(stored == expected)

        var buffer = slice.byteBuffer
        let decoded = try MessageDecoder.decodeOne(&buffer)
        #expect(decoded.topic == "T")
        #expect(decoded.queueID == 1)
        #expect(decoded.flag == 2)
        #expect(decoded.body == Array("hi".utf8))
        #expect(decoded.properties == ["K": "V"])
        #expect(decoded.queueOffset == 1)
        #expect(decoded.commitLogOffset == append.wroteOffset)
        #expect(decoded.storeTimestamp == append.storeTimestamp)
        #expect(decoded.bornHost == SocketAddressBytes(address: [10, 0, 0, 1], port: 1234))
        #expect(decoded.storeHost == SocketAddressBytes(address: [192, 168, 0, 2], port: 10911))
        #expect(decoded.reconsumeTimes == 3)
        #expect(decoded.preparedTransactionOffset == 0x11)
        #expect(decoded.offsetMsgID == append.msgID)
        #expect(store.lookMessageByOffset(append.wroteOffset) == decoded)
    }

    @Test func rejectsOversizedBodyTopicAndProperties() async throws {
        let dir = TemporaryDirectory("limits")
        defer { dir.remove() }
        var config = StoreTestSupport.config(dir)
        config.maxMessageSize = 1000
        let store = try StoreTestSupport.open(config)
        defer { store.shutdown() }
        let big = await store.putMessage(StoreTestSupport.message(body: String(repeating: "a", count: 1001)))
        #expect(big.status == .messageIllegal)
        let longTopic = await store.putMessage(
            StoreTestSupport.message(topic: String(repeating: "t", count: 128), body: "x"))
        #expect(longTopic.status == .messageIllegal)
        var huge = StoreTestSupport.message(body: "x")
        huge.propertiesString = "A\u{1}" + String(repeating: "v", count: 40_000)
        #expect(await store.putMessage(huge).status == .propertiesSizeExceeded)
        #expect(await store.putMessage(StoreTestSupport.message(body: "ok")).status == .putOK)
    }
}
