//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon
@testable import RocketMQRemoting
import Testing

/// `ExtFields` keeps decoded fields as offsets into the header bytes; these tests check it behaves
/// exactly as the dictionary it replaced, for both codecs.
@Suite("ExtFields: decoded tables behave as a dictionary")
struct ExtFieldsTests {
    static let types: [SerializeType] = [.json, .rocketmq]

    /// A binary header with these raw entries (duplicates and empty strings allowed).
    static func binaryFrame(_ entries: [(String, String)]) -> ByteBuffer {
        var ext = ByteBuffer()
        for (k, v) in entries {
            ext.writeInteger(Int16(k.utf8.count))
            ext.writeString(k)
            ext.writeInteger(Int32(v.utf8.count))
            ext.writeString(v)
        }
        var header = ByteBuffer()
        header.writeInteger(Int16(310))
        header.writeInteger(UInt8(0))
        header.writeInteger(Int16(317))
        header.writeInteger(Int32(9))
        header.writeInteger(Int32(0))
        header.writeInteger(Int32(0))
        header.writeInteger(Int32(ext.readableBytes))
        header.writeBuffer(&ext)
        var frame = ByteBuffer()
        frame.writeInteger(Int32(4 + header.readableBytes))
        frame.writeInteger(UInt32(1) << 24 | UInt32(header.readableBytes))
        frame.writeBuffer(&header)
        return frame
    }

    @Test(arguments: types)
    func decodedFieldsReadLikeADictionary(_ type: SerializeType) throws {
        let fields: ExtFields = ["topic": "TopicTest", "queueId": "3", "bornTimestamp": "1735689600123",
                                 "properties": "TAGS\u{01}TagA\u{02}KEYS\u{01}k 中\u{02}", "unitMode": "true"]
        var command = RemotingCommand(code: 310, extFields: fields)
        command.serializeType = type
        let parsed = try roundTrip(command)
        var decoded = parsed.extFields
        #expect(decoded.count == 5)
        #expect(decoded == fields)
        #expect(decoded["properties"] == "TAGS\u{01}TagA\u{02}KEYS\u{01}k 中\u{02}")
        #expect(decoded["missing"] == nil)
        #expect(Set(decoded.keys) == ["topic", "queueId", "bornTimestamp", "properties", "unitMode"])
        #expect(decoded.dictionary == fields.dictionary)

        // Out-of-order lookups still find everything.
        for key in ["unitMode", "topic", "properties", "queueId", "bornTimestamp", "topic"] {
            #expect(decoded.lookup(key) == fields[key], "\(key)")
        }

        // Mutating a decoded table: set, replace, remove.
        decoded["queueId"] = "7"
        decoded["extra"] = "x"
        decoded["topic"] = nil
        #expect(decoded.count == 5)
        #expect(decoded["queueId"] == "7")
        #expect(decoded["extra"] == "x")
        #expect(decoded["topic"] == nil)
        #expect(parsed.extFields["topic"] == "TopicTest", "the command's own table must not change")
    }

    @Test(arguments: types)
    func integersParseFromBytesWithJavaLeniency(_ type: SerializeType) throws {
        var command = RemotingCommand(code: 11, extFields: [
            "topic": "T", "queueId": "-3", "maxMsgNums": "+32", "queueOffset": "0012", "commitOffset": "12.0",
            "sysFlag": "99999999999", "subVersion": "-9223372036854775808", "suspendTimeoutMillis": "x1",
        ])
        command.serializeType = type
        var r = ExtFieldReader(try roundTrip(command).extFields)
        #expect(try r.int32("queueId") == -3)
        #expect(try r.int32("maxMsgNums") == 32)
        #expect(try r.int64("queueOffset") == 12)
        #expect(try r.int64("commitOffset") == 12)
        #expect(throws: RemotingError.self) { try r.int32("sysFlag") }
        #expect(try r.int64("sysFlag") == 99_999_999_999)
        #expect(try r.int64("subVersion") == Int64.min)
        #expect(r.optionalInt64("suspendTimeoutMillis") == nil)
        #expect(throws: RemotingError.self) { try r.int64("suspendTimeoutMillis") }
        #expect(throws: RemotingError.self) { try r.int32("absent") }
        #expect(r.optionalInt32("absent") == nil)
    }

    @Test func binaryDuplicatesKeepTheLastValueAndEmptyEntriesAreDropped() throws {
        let frame = Self.binaryFrame([("topic", "first"), ("a", "1"), ("", "no key"), ("b", ""), ("topic", "last")])
        let parsed = try #require(try parseOne(frame))
        #expect(parsed.extFields.count == 2)
        #expect(parsed.extFields["topic"] == "last")
        #expect(parsed.extFields["a"] == "1")
        #expect(parsed.extFields["b"] == nil)
        #expect(parsed.extFields.dictionary == ["topic": "last", "a": "1"])
    }

    @Test func jsonDuplicatesKeepTheLastValueAndEmptyStringsSurvive() throws {
        let parsed = try #require(try parseOne(jsonFrame(
            #"{"code":310,"extFields":{"topic":"first","":"empty key","v":"","n":12,"b":true,"z":null,"topic":"l\u0061st"}}"#)))
        #expect(parsed.extFields.count == 5)
        #expect(parsed.extFields["topic"] == "last")
        #expect(parsed.extFields[""] == "empty key")
        #expect(parsed.extFields["v"] == "")
        #expect(parsed.extFields["n"] == "12")
        #expect(parsed.extFields["b"] == "true")
        #expect(parsed.extFields["z"] == nil)
    }

    @Test func jsonWithManyShortNumericFieldsKeepsThemAll() throws {
        let members = (0..<300).map { "\"\($0)\":\($0 % 10)" }.joined(separator: ",")
        let parsed = try #require(try parseOne(jsonFrame("{\"code\":1,\"extFields\":{\(members)}}")))
        #expect(parsed.extFields.count == 300)
        #expect(parsed.extFields["299"] == "9")
        #expect(parsed.extFields["0"] == "0")
    }

    @Test(arguments: types)
    func aDecodedCommandReencodesUnchanged(_ type: SerializeType) throws {
        var fields = ExtFields()
        for i in 0..<40 { fields["k\(i)"] = "v\(i)\u{01}\"\\" }
        var command = RemotingCommand(code: 320, remark: "r", extFields: fields)
        command.serializeType = type
        let once = try roundTrip(command)
        let twice = try roundTrip(once)
        #expect(twice.extFields == fields)
        #expect(twice == command)
    }

    /// Found by fuzzing (Tests/Fuzz/Crashers/*/invalid-utf8-ext-key): an ext key with malformed UTF-8 was listed
    /// with U+FFFD but could not be looked up by that key, so a decoded command did not equal its own re-encoding.
    /// Such fields now decode as Java decodes them, with U+FFFD for the bad bytes, in both codecs.
    @Test func extFieldsWithMalformedUTF8DecodeAsJavaDoes() throws {
        var ext = ByteBuffer()
        for (k, v) in [([UInt8]("queueI".utf8) + [0xF4], [UInt8]("0".utf8)),
                       ([UInt8]("topic".utf8), [UInt8]("T".utf8) + [0xFF, 0xC3])] {
            ext.writeInteger(Int16(k.count))
            ext.writeBytes(k)
            ext.writeInteger(Int32(v.count))
            ext.writeBytes(v)
        }
        var header = ByteBuffer()
        header.writeInteger(Int16(310))
        header.writeInteger(UInt8(0))
        header.writeInteger(Int16(317))
        header.writeInteger(Int32(9))
        header.writeInteger(Int32(0))
        header.writeInteger(Int32(0))
        header.writeInteger(Int32(ext.readableBytes))
        header.writeBuffer(&ext)
        let binary = try RocketMQHeaderCodec.decode(&header, body: nil)

        var jsonBytes = ByteBuffer(string: "{\"code\":310,\"extFields\":{\"queueI")
        jsonBytes.writeBytes([0xF4])
        jsonBytes.writeString("\":\"0\",\"topic\":\"T")
        jsonBytes.writeBytes([0xFF, 0xC3])
        jsonBytes.writeString("\"},\"opaque\":9}")
        let json = try jsonBytes.withUnsafeReadableBytes { raw in try JSONHeaderCodec.decode(raw, body: nil) }

        let expected: ExtFields = ["queueI\u{FFFD}": "0", "topic": "T\u{FFFD}\u{FFFD}"]
        for command in [binary, json] {
            var fields = command.extFields
            #expect(fields == expected)
            #expect(fields.count == 2)
            for key in fields.keys { #expect(fields.lookup(key) != nil, "\(key)") }
            #expect(fields["queueI\u{FFFD}"] == "0")
            #expect(try roundTrip(command).extFields == expected)
        }
    }
}
