//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon
import Testing
@testable import RocketMQRemoting

/// PROTOCOL.md §1.0: GET_ROUTEINFO_BY_TOPIC, topic TopicTest, opaque 1, version 409, language JAVA.
private func routeRequest(_ type: SerializeType) -> RemotingCommand {
    RemotingCommand(code: 105, language: .java, version: 409, opaque: 1, flag: 0, remark: nil,
                    extFields: ["topic": "TopicTest"], body: nil, serializeType: type)
}

@Suite("Header codecs: golden bytes")
struct HeaderCodecGoldenTests {
    static let jsonHeader =
        #"{"code":105,"extFields":{"topic":"TopicTest"},"flag":0,"language":"JAVA","opaque":1,"serializeTypeCurrentRPC":"JSON","version":409}"#
    static let rocketmqHeader = "0069 00 0199 00000001 00000000 00000000 00000014 0005 746f706963 00000009 546f70696354657374"

    @Test func jsonHeaderEncodesToTheWorkedExample() throws {
        let frame = encodeFrame(routeRequest(.json))
        let header = Array(Self.jsonHeader.utf8)
        #expect(header.count == 131)
        #expect(Array(frame.readableBytesView) == [0x00, 0x00, 0x00, 0x87, 0x00, 0x00, 0x00, 0x83] + header)
    }

    @Test func jsonWorkedExampleDecodesToTheSameCommand() throws {
        let bytes = [0x00, 0x00, 0x00, 0x87, 0x00, 0x00, 0x00, 0x83] + Array(Self.jsonHeader.utf8)
        let parsed = try #require(try parseOne(ByteBuffer(bytes: bytes)))
        #expect(parsed == routeRequest(.json))
        #expect(parsed.body == nil)
    }

    @Test func rocketmqHeaderEncodesToTheWorkedExample() throws {
        let frame = encodeFrame(routeRequest(.rocketmq))
        let header = hexBytes(Self.rocketmqHeader)
        #expect(header.count == 41)
        #expect(Array(frame.readableBytesView) == [0x00, 0x00, 0x00, 0x2d, 0x01, 0x00, 0x00, 0x29] + header)
    }

    @Test func rocketmqWorkedExampleDecodesToTheSameCommand() throws {
        let bytes = [0x00, 0x00, 0x00, 0x2d, 0x01, 0x00, 0x00, 0x29] + hexBytes(Self.rocketmqHeader)
        let parsed = try #require(try parseOne(ByteBuffer(bytes: bytes)))
        #expect(parsed == routeRequest(.rocketmq))
    }

    @Test func jsonEscapesControlCharactersAsJavaDoes() throws {
        let command = RemotingCommand(code: 310, opaque: 7, remark: "tab\there \"q\" back\\slash",
                                      extFields: ["i": "UNIQ_KEY\u{01}ABC\u{02}TAGS\u{01}t"])
        let frame = encodeFrame(command)
        let header = Array(frame.readableBytesView.dropFirst(8))
        #expect(!header.contains(where: { $0 < 0x20 }), "no raw control byte may reach the JSON text")
        let text = String(decoding: header, as: UTF8.self)
        #expect(text.contains(#""i":"UNIQ_KEY\u0001ABC\u0002TAGS\u0001t""#))
        #expect(text.contains(#""remark":"tab\there \"q\" back\\slash""#))
    }
}

@Suite("Header codecs: round trips")
struct HeaderCodecRoundTripTests {
    static let types: [SerializeType] = [.json, .rocketmq]

    @Test(arguments: types)
    func unicodeRemarkAndControlCharactersSurvive(_ type: SerializeType) throws {
        let command = RemotingCommand(code: 1, language: .cpp, version: 333, opaque: -5, flag: 1,
                                      remark: "中文 🚀 \u{00e9}",
                                      extFields: ["properties": "KEYS\u{01}k1 k2\u{02}TAGS\u{01}TagA\u{02}", "键": "值 🚀"],
                                      serializeType: type)
        #expect(try roundTrip(command) == command)
    }

    @Test(arguments: types)
    func manyExtFieldsSurvive(_ type: SerializeType) throws {
        var fields: ExtFields = [:]
        for i in 0..<150 { fields["key\(i)"] = "value-\(i)-" + String(repeating: "x", count: i % 17 + 1) }
        let command = RemotingCommand(code: 320, language: .go, version: 317, opaque: Int32.max, flag: 2,
                                      remark: "many", extFields: fields, serializeType: type)
        let parsed = try roundTrip(command)
        #expect(parsed.extFields.count == 150)
        #expect(parsed == command)
    }

    @Test(arguments: types)
    func bodiesSurviveIntact(_ type: SerializeType) throws {
        let bytes = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let command = RemotingCommand(code: 11, opaque: 99, remark: "r", extFields: ["topic": "T"],
                                      body: ByteBuffer(bytes: bytes), serializeType: type)
        let parsed = try roundTrip(command)
        #expect(parsed.bodyBytes == bytes)
        #expect(parsed == command)
    }

    @Test(arguments: types)
    func commandWithoutHeaderFieldsOrBodySurvives(_ type: SerializeType) throws {
        let command = RemotingCommand(code: 34, language: .java, version: 409, opaque: 0, flag: 0, serializeType: type)
        let parsed = try roundTrip(command)
        #expect(parsed == command)
        #expect(parsed.remark == nil)
        #expect(parsed.extFields.isEmpty)
        #expect(parsed.body == nil)
    }

    @Test func everyControlCharacterIsEscapedAndRoundTripsThroughJSON() throws {
        let controls = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
        let value = String(repeating: controls + "\"\\/é🚀", count: 40)
        let command = RemotingCommand(code: 1, remark: value, extFields: [value: value, "k": controls], serializeType: .json)
        let frame = encodeFrame(command)
        #expect(!frame.readableBytesView.dropFirst(8).contains { $0 < 0x20 })
        #expect(String(decoding: frame.readableBytesView.dropFirst(8), as: UTF8.self)
            .contains(#""k":"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\t\n\u000b\u000c\r\u000e\u000f\u0010"#))
        #expect(try roundTrip(command) == command)
    }

    @Test func rocketmqCodecDropsEmptyStringsLikeJava() throws {
        let command = RemotingCommand(code: 1, remark: "", extFields: ["empty": "", "k": "v"], serializeType: .rocketmq)
        let parsed = try roundTrip(command)
        #expect(parsed.remark == nil)
        #expect(parsed.extFields == ["k": "v"])
    }

    @Test func jsonCodecKeepsEmptyStrings() throws {
        let command = RemotingCommand(code: 1, remark: "", extFields: ["empty": ""], serializeType: .json)
        #expect(try roundTrip(command) == command)
    }

    @Test(arguments: types)
    func extremeIntegersSurvive(_ type: SerializeType) throws {
        // The binary codec carries code and version as int16 (PROTOCOL.md §2.2).
        let command = RemotingCommand(code: type == .json ? Int32.min : Int32(Int16.min), version: type == .json ? Int32.max : 32767,
                                      opaque: Int32.min, flag: Int32.max, serializeType: type)
        #expect(try roundTrip(command) == command)
    }
}

@Suite("JSON header codec: lenient reading")
struct JSONHeaderLenientTests {
    @Test func cppStyleSendHeaderDecodesAndParsesAsV2() throws {
        // C++ 2.x: numbers and booleans as JSON values, remark always present, no serializeTypeCurrentRPC,
        // trailing newline from jsoncpp's FastWriter.
        let header = #"{"code":310,"extFields":{"a":"PG","b":"TopicTest","c":"TBW102","d":4,"e":1,"f":0,"g":"1700000000000","h":0,"i":"TAGS\u0001TagA\u0002","j":0,"k":false,"l":16,"m":"false"},"flag":0,"language":"CPP","opaque":3,"remark":"","version":333}"# + "\n"
        let parsed = try #require(try parseOne(jsonFrame(header, body: Array("hello".utf8))))
        #expect(parsed.code == 310)
        #expect(parsed.language == .cpp)
        #expect(parsed.version == 333)
        #expect(parsed.opaque == 3)
        #expect(parsed.remark == "")
        #expect(parsed.extFields["d"] == "4")
        #expect(parsed.extFields["k"] == "false")
        #expect(parsed.bodyBytes == Array("hello".utf8))
        let v2 = try SendMessageRequestHeaderV2(extFields: parsed.extFields)
        #expect(v2.v1.producerGroup == "PG")
        #expect(v2.v1.topic == "TopicTest")
        #expect(v2.v1.defaultTopicQueueNums == 4)
        #expect(v2.v1.queueID == 1)
        #expect(v2.v1.bornTimestamp == 1_700_000_000_000)
        #expect(v2.v1.properties == "TAGS\u{01}TagA\u{02}")
        #expect(v2.v1.batch == false)
        #expect(v2.v1.unitMode == false)
        #expect(v2.v1.maxReconsumeTimes == 16)
    }

    @Test func extValuesMayBeNumbersOrBooleans() throws {
        let parsed = try #require(try parseOne(jsonFrame(#"{"code":1,"extFields":{"n":42,"neg":-7,"big":1700000000000,"t":true,"f":false,"s":"x"}}"#)))
        #expect(parsed.extFields == ["n": "42", "neg": "-7", "big": "1700000000000", "t": "true", "f": "false", "s": "x"])
    }

    @Test(arguments: [(#""JAVA""#, LanguageCode.java), (#""CPP""#, .cpp), (#""GO""#, .go), ("9", .go), ("1", .cpp),
                      ("0", .java), (#""RUST""#, .rust), (#""SOMETHING_NEW""#, .other)])
    func languageMayBeANameOrAnOrdinal(_ literal: String, _ expected: LanguageCode) throws {
        let parsed = try #require(try parseOne(jsonFrame(#"{"code":1,"language":\#(literal),"opaque":2}"#)))
        #expect(parsed.language == expected)
    }

    @Test func remarkMissingOrNullIsNil() throws {
        let missing = try #require(try parseOne(jsonFrame(#"{"code":1,"flag":1,"opaque":2}"#)))
        #expect(missing.remark == nil)
        let null = try #require(try parseOne(jsonFrame(#"{"code":1,"flag":1,"opaque":2,"remark":null}"#)))
        #expect(null.remark == nil)
        #expect(null.isResponse)
    }

    @Test func extFieldsMissingOrNullIsEmpty() throws {
        let missing = try #require(try parseOne(jsonFrame(#"{"code":34,"opaque":2}"#)))
        #expect(missing.extFields.isEmpty)
        let null = try #require(try parseOne(jsonFrame(#"{"code":34,"extFields":null,"opaque":2}"#)))
        #expect(null.extFields.isEmpty)
    }

    @Test func unknownKeysAndWhitespaceAreIgnored() throws {
        let header = " \r\n{ \"code\" : 105 ,\t\"future\":{\"x\":[1,2.5e3,{\"y\":null}],\"z\":\"\\u00e9\"},\"extFields\" : { \"topic\" : \"T\" } ,"
            + " \"serializeTypeCurrentRPC\":\"JSON\", \"opaque\":11, \"weird\":[] , \"version\":401 }\r\n\n "
        let parsed = try #require(try parseOne(jsonFrame(header)))
        #expect(parsed.code == 105)
        #expect(parsed.opaque == 11)
        #expect(parsed.version == 401)
        #expect(parsed.extFields == ["topic": "T"])
        #expect(parsed.serializeType == .json)
    }

    @Test func nonScalarExtValuesAreDroppedAndUnquotedKeysAccepted() throws {
        let nested = try #require(try parseOne(jsonFrame(#"{"code":1,"extFields":{"a":"x","nested":{"b":1},"list":[1],"n":null,"c":"y"}}"#)))
        #expect(nested.extFields == ["a": "x", "c": "y"])
        let unquoted = try #require(try parseOne(jsonFrame(#"{"code":1,"extFields":{0:"x","k":"v"}}"#)))
        #expect(unquoted.extFields == ["0": "x", "k": "v"])
        let duplicate = try #require(try parseOne(jsonFrame(#"{"code":1,"extFields":{"k":"first","k":"second"}}"#)))
        #expect(duplicate.extFields == ["k": "second"])
    }

    @Test(arguments: [("-12", Int32(-12)), ("2147483647", Int32.max), ("-2147483648", Int32.min), ("1.0", 1), ("1e2", 100),
                      ("007", 7), (#""42""#, 42)])
    func integerFieldsAcceptJavaStyleNumbers(_ literal: String, _ expected: Int32) throws {
        let parsed = try #require(try parseOne(jsonFrame(#"{"code":\#(literal),"opaque":\#(literal)}"#)))
        #expect(parsed.code == expected)
        #expect(parsed.opaque == expected)
    }

    @Test(arguments: ["2147483648", "-2147483649", "99999999999999999999", "null", #""x""#, "[1]"])
    func integerFieldsOutOfRangeAreRefused(_ literal: String) {
        var frame = jsonFrame(#"{"code":1,"opaque":\#(literal)}"#)
        #expect(throws: RemotingDecodingError.self) { try RemotingFrameParser().parse(&frame) }
    }

    @Test func escapedStringsAreUnescaped() throws {
        let header = #"{"code":1,"extFields":{"p":"A\u0001B\u0002","q":"\"\\\/\n\t","u":"\ud83d\ude80"},"remark":"\u4e2d\u6587"}"#
        let parsed = try #require(try parseOne(jsonFrame(header)))
        #expect(parsed.extFields["p"] == "A\u{01}B\u{02}")
        #expect(parsed.extFields["q"] == "\"\\/\n\t")
        #expect(parsed.extFields["u"] == "🚀")
        #expect(parsed.remark == "中文")
    }
}
