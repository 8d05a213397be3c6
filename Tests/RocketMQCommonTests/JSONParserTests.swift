//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import Testing

@Suite("JSONParser")
struct JSONParserTests {
    @Test func nestedObjectsAndArraysKeepKeyOrder() throws {
        let v = try JSONParser.parse(#" { "z" : { "b" : [ 1 , { "c" : [ true, false, null ] } ] },"a":"x" , "e":{},"f":[] } "#)
        #expect(v.objectValue?.map(\.0) == ["z", "a", "e", "f"])
        let inner = try #require(v["z"]?["b"]?.arrayValue)
        #expect(inner.count == 2)
        #expect(inner[0].int64Value == 1)
        #expect(inner[1]["c"] == .array([.bool(true), .bool(false), .null]))
        #expect(v["a"]?.stringValue == "x")
        #expect(v["e"] == .object([]) && v["f"] == .array([]))
        #expect(v["missing"] == nil && v["a"]?["x"] == nil)
    }

    @Test func numbersKeepTheirRawText() throws {
        let v = try JSONParser.parse(#"[-12, 0, 3.5e2, 9223372036854775807, -9223372036854775808, 1E-3]"#)
        let items = try #require(v.arrayValue)
        #expect(items.map(\.stringValue) == ["-12", "0", "3.5e2", "9223372036854775807", "-9223372036854775808", "1E-3"])
        #expect(items[0].int64Value == -12)
        #expect(items[2].doubleValue == 350)
        // Beyond Double's 53 bits: read from the raw text, exactly.
        #expect(items[3].int64Value == Int64.max && items[4].int64Value == Int64.min)
        #expect(items[5].doubleValue == 0.001)
    }

    @Test func stringEscapes() throws {
        let v = try JSONParser.parse(#"["\"\\\/\b\f\n\r\t", "\u00e9\u4E2D", "\ud83d\ude80", "a\u0000b", "plain 女 🚀", "\ud83d"]"#)
        #expect(v == .array([
            .string("\"\\/\u{8}\u{C}\n\r\t"), .string("é中"), .string("🚀"), .string("a\u{0}b"),
            .string("plain 女 🚀"), .string("\u{FFFD}"),
        ]))
        // What the writer escapes, the parser reads back.
        let original = "q\"b\\s\nr\rt\tc\u{1}女🚀"
        #expect(try JSONParser.parse(JSONWriter.string(.string(original))) == .string(original))
    }

    @Test func fastjsonMapKeys() throws {
        // Numeric keys unquoted (Map<Integer, …>) and object keys (Map<MessageQueue, Long>).
        let v = try JSONParser.parse(#"{0:1,12:"x",{"brokerName":"b","queueId":3,"topic":"T"}:5}"#)
        #expect(v["0"]?.int64Value == 1 && v["12"]?.stringValue == "x")
        let key = try #require(v.objectValue?[2].0)
        #expect(try JSONParser.parse(key) == .object([("brokerName", .string("b")), ("queueId", .int(3)), ("topic", .string("T"))]))
        #expect(v.objectValue?[2].1.int64Value == 5)
    }

    @Test func nestingIsCappedAtMaxDepth() throws {
        let deepest = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        #expect(try JSONParser.parse(deepest).arrayValue?.count == 1)
        let tooDeep = "[" + deepest + "]"
        let e = #expect(throws: JSONParseError.self) { try JSONParser.parse(tooDeep) }
        #expect(e?.offset == JSONParser.maxDepth && e?.reason == "nesting too deep", "\(String(describing: e))")
    }

    /// Input → offset and reason of the error.
    static let errors: [(String, Int, String)] = [
        ("", 0, "unexpected end"),
        ("   ", 3, "unexpected end"),
        (#"{"a":1,}"#, 7, "expected key"),
        (#"{"a" 1}"#, 5, "expected ':'"),
        (#"{"a":1"#, 6, "unterminated object"),
        (#"{"a":1 "b":2}"#, 7, "expected ',' or '}'"),
        ("[1 2]", 3, "expected ',' or ']'"),
        ("[1,", 3, "unexpected end"),
        (#""abc"#, 4, "unterminated string"),
        (#""\x""#, 3, "invalid escape"),
        (#""\u12G4""#, 5, "invalid unicode escape"),
        (#""\u12""#, 3, "short unicode escape"),
        ("tru", 0, "unexpected end"),
        ("nul1", 0, "invalid literal"),
        ("-", 1, "invalid number"),
        ("1.2.3", 0, "invalid number"),
        ("1 2", 2, "trailing characters"),
        ("{} x", 3, "trailing characters"),
        ("'a'", 0, "unexpected character"),
    ]

    @Test("errors name their byte offset", arguments: errors)
    func error(_ input: String, _ offset: Int, _ reason: String) {
        let e = #expect(throws: JSONParseError.self) { try JSONParser.parse(input) }
        #expect(e?.offset == offset && e?.reason == reason, "\(String(describing: e))")
    }
}
