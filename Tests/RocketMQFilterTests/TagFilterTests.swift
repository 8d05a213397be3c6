//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import Testing

@testable import RocketMQFilter

@Suite("Tag subscriptions")
struct TagFilterTests {
    /// Java `String.hashCode` values, computed independently over UTF-16 units (h = 31·h + unit, int32 wrap).
    static let hashes: [(String, Int32)] = [
        ("TagA", 2_598_919), ("TagB", 2_598_920), ("*", 42), ("", 0), ("Aa", 2112), ("BB", 2112),
        ("女", 22899), ("标签", 857_175), ("订单创建", 1_086_086_002), ("🚀", 1_773_027),
        ("TagA🚀", -1_795_633_110), ("😀😀", 1_705_528_838), ("aaaaaaaaaaaaaaaaaaaa", 1_542_361_408),
        ("hello world", 1_794_106_052), ("\u{E9}", 233), ("e\u{301}", 3900), ("Ω", 937),
    ]

    @Test("tag hash code matches Java", arguments: hashes)
    func hash(_ tag: String, _ code: Int32) throws {
        #expect(JavaHash.hashCode(tag) == code)
        if !tag.isEmpty, tag != "*" {
            let data = try FilterAPI.buildSubscriptionData(topic: "T", subString: tag)
            #expect(data.tagsSet == [tag])
            #expect(data.codeSet == [code])
        }
    }

    /// subString → tags, following Java's split/trim/drop-empty rules.
    static let splits: [(String, [String])] = [
        ("TagA || TagB", ["TagA", "TagB"]),
        ("TagA||TagB", ["TagA", "TagB"]),
        ("  TagA  ||\tTagB\n", ["TagA", "TagB"]),
        ("TagA || || TagB ||", ["TagA", "TagB"]),
        ("|| TagA", ["TagA"]),
        ("TagA || TagA", ["TagA"]),
        ("TagA | TagB", ["TagA | TagB"]),
        ("TagA ||| TagB", ["TagA", "| TagB"]),
        ("标签 || 🚀", ["标签", "🚀"]),
        (" * ", ["*"]),
        ("   ", []),
        ("tagA || TagA", ["tagA", "TagA"]),
    ]

    @Test("split like Java", arguments: splits)
    func split(_ subString: String, _ tags: [String]) throws {
        let data = try FilterAPI.buildSubscriptionData(topic: "T", subString: subString)
        #expect(data.tagsSet == tags)
        #expect(data.codeSet == tags.map(JavaHash.hashCode))
        #expect(data.subString == subString)
        #expect(data.expressionType == "TAG")
    }

    @Test func subscribeAll() throws {
        for text in ["*", "", nil] as [String?] {
            let data = try FilterAPI.buildSubscriptionData(topic: "T", subString: text, subVersion: 7)
            #expect(data.subString == "*")
            #expect(data.tagsSet.isEmpty && data.codeSet.isEmpty)
            #expect(data.isSubscribeAll)
            #expect(data.subVersion == 7)
        }
    }

    @Test func onlySeparatorsIsAnError() {
        for text in ["||", "||||"] {
            #expect(throws: FilterError.self) { try FilterAPI.buildSubscriptionData(topic: "T", subString: text) }
            #expect(throws: FilterError.self) { try TagFilterFactory().compile(text) }
        }
    }

    @Test func expressionTypeIsKeptUnlessBlank() throws {
        #expect(try FilterAPI.buildSubscriptionData(topic: "T", subString: "a > 1", type: "SQL92").expressionType == "SQL92")
        #expect(try FilterAPI.buildSubscriptionData(topic: "T", subString: "x", type: "  ").expressionType == "TAG")
    }

    @Test func collidingTagsShareOneCode() throws {
        let data = try FilterAPI.buildSubscriptionData(topic: "T", subString: "Aa || BB")
        #expect(data.tagsSet == ["Aa", "BB"])
        #expect(data.codeSet == [2112])
    }

    /// Consume-queue stage: (subString, tagsCode, expected).
    static let consumeQueue: [(String, Int64?, Bool)] = [
        ("*", 12345, true), ("", 0, true), ("TagA || TagB", 2_598_919, true), ("TagA || TagB", 2_598_920, true),
        ("TagA || TagB", 2_598_921, false), ("TagA", 0, false), ("TagA", nil, true),
        ("Aa", 2112, true),  // "BB" collides; the client re-checks the string
        ("TagA🚀", -1_795_633_110, true), ("TagA🚀", Int64(UInt32(bitPattern: -1_795_633_110)), true),
        ("TagA", 2_598_919 + (1 << 32), true),  // Java compares (int) tagsCode
        ("   ", 0, false), (" * ", 42, true), (" * ", 7, false),
    ]

    @Test("consume-queue stage", arguments: consumeQueue)
    func consumeQueueStage(_ subString: String, _ tagsCode: Int64?, _ expected: Bool) throws {
        let filter = try TagFilterFactory().compile(subString)
        #expect(filter.matches(tagsCode: tagsCode) == expected)
        #expect(!filter.needsProperties)
        #expect(filter.matches(properties: [:]))
    }

    @Test func clientSideRecheck() throws {
        let filter = try TagFilter(expression: "Aa || 标签")
        #expect(filter.matches(tag: "Aa"))
        #expect(filter.matches(tag: "标签"))
        #expect(!filter.matches(tag: "BB"))
        #expect(!filter.matches(tag: "aa"))
        #expect(!filter.matches(tag: nil))
        #expect(try TagFilter(expression: "*").matches(tag: nil))
        let precomposed = try TagFilter(expression: "caf\u{E9}")
        #expect(!precomposed.matches(tag: "cafe\u{301}"))  // Java equals is not canonical equivalence
        let data = try FilterAPI.buildSubscriptionData(topic: "T", subString: "Aa")
        #expect(data.matchesTag("Aa") && !data.matchesTag("BB") && !data.matchesTag(nil))
    }

    @Test func classFilterModeLetsEverythingThrough() throws {
        var data = try FilterAPI.buildSubscriptionData(topic: "T", subString: "TagA")
        data.classFilterMode = true
        #expect(TagFilter(subscription: data).matches(tagsCode: 1))
        let cache = CompiledFilterCache(registry: FilterRegistry())
        #expect(try cache.filter(for: data).matches(tagsCode: 1))
    }
}

@Suite("SubscriptionData JSON")
struct SubscriptionDataJSONTests {
    @Test func writesJavaShape() throws {
        let data = try FilterAPI.buildSubscriptionData(topic: "T", subString: "TagA || TagB", subVersion: 1_700_000_000_000)
        let text = JSONWriter.string(data.json)
        #expect(
            text == #"{"classFilterMode":false,"codeSet":[2598919,2598920],"expressionType":"TAG","#
                + #""subString":"TagA || TagB","subVersion":1700000000000,"tagsSet":["TagA","TagB"],"topic":"T"}"#)
        #expect(try SubscriptionData(json: data.json) == data)
    }

    @Test func readsProtocolExample() throws {
        let json = try JSONParser.parse(
            #"{"topic": "T", "subString": "TagA || TagB", "tagsSet": ["TagA","TagB"], "codeSet": [2598919, 2598920],"#
                + #" "subVersion": 1700000000000, "expressionType": "TAG", "classFilterMode": false}"#)
        let data = try SubscriptionData(json: json)
        #expect(data.topic == "T" && data.subString == "TagA || TagB")
        #expect(data.tagsSet == ["TagA", "TagB"] && data.codeSet == [2_598_919, 2_598_920])
        #expect(data.subVersion == 1_700_000_000_000 && data.expressionType == "TAG" && !data.classFilterMode)
    }

    @Test func lenientCppShape() throws {
        // subVersion as a string, wrong codeSet, missing expressionType and classFilterMode.
        let json = try JSONParser.parse(
            #"{"topic":"T","subString":"女 || 🚀","tagsSet":["女","🚀"],"codeSet":[1,2,3],"subVersion":"1700000000123"}"#)
        let data = try SubscriptionData(json: json)
        #expect(data.subVersion == 1_700_000_000_123)
        #expect(data.codeSet == [22899, 1_773_027])
        #expect(data.expressionType == "TAG" && !data.classFilterMode)
    }

    @Test func tagsRebuiltFromSubString() throws {
        let json = try JSONParser.parse(#"{"topic":"T","subString":"TagA||TagB","tagsSet":["Other"],"codeSet":[]}"#)
        let data = try SubscriptionData(json: json)
        #expect(data.tagsSet == ["TagA", "TagB"])
        #expect(data.codeSet == [2_598_919, 2_598_920])
    }

    @Test func missingSubStringUsesTags() throws {
        let json = try JSONParser.parse(#"{"topic":"T","tagsSet":["TagA"],"subVersion":5,"classFilterMode":"true"}"#)
        let data = try SubscriptionData(json: json)
        #expect(data.subString == "TagA" && data.codeSet == [2_598_919] && data.classFilterMode)
        let empty = try SubscriptionData(json: try JSONParser.parse(#"{"topic":"T"}"#))
        #expect(empty.subString == "*" && empty.tagsSet.isEmpty && empty.expressionType == "TAG")
    }

    @Test func sqlSubscriptionKeepsWireTags() throws {
        let json = try JSONParser.parse(
            #"{"topic":"T","subString":"a = 'x||y'","tagsSet":[],"expressionType":"SQL92","subVersion":1}"#)
        let data = try SubscriptionData(json: json)
        #expect(data.tagsSet.isEmpty && data.codeSet.isEmpty && data.expressionType == "SQL92")
    }

    @Test func rejectsNonObjects() {
        #expect(throws: JSONParseError.self) { try SubscriptionData(json: .array([])) }
        #expect(throws: JSONParseError.self) { try SubscriptionData(json: .string("T")) }
    }
}
