//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Testing

@testable import RocketMQFilter

/// Expected three-valued outcome: TRUE delivers; FALSE and unknown/error do not.
enum Outcome: String, Sendable, CustomStringConvertible {
    case t = "TRUE"
    case f = "FALSE"
    /// NULL (unknown) or an evaluation error — both mean "not delivered".
    case n = "UNKNOWN"
    var description: String { self.rawValue }
}

let baseProperties: [String: String] = [
    "a": "10", "b": "abc", "c": "50", "age": "25", "sex": "女", "f": "3.5", "big": "5000000000",
    "s": "hello world", "t": "TRUE", "neg": "-7", "e": "", "name": "O'Brien", "quote": "'", "emoji": "🚀",
    "comb": "e\u{301}", "$x": "1", "_y": "2", "a1": "v", "x": "1.0", "y": "1", "flag": "true", "no": "no",
    "i": "2147483648", "l": "9223372036854775807", "arabic": "\u{665}", "plus": "+5", "lead": "05",
    "space": " 5", "nan": "NaN", "inf": "Infinity", "lowinf": "inf", "hex": "0x10p0", "suffix": "2f",
    "padded": " 2 ", "badexp": "1e", "negzero": "-0.0",
]

struct EvalCase: Sendable, CustomStringConvertible {
    var expression: String
    var expected: Outcome
    var properties: [String: String] = baseProperties
    var description: String { "\(self.expression) ⇒ \(self.expected)" }

    init(_ expression: String, _ expected: Outcome, _ properties: [String: String] = baseProperties) {
        self.expression = expression
        self.expected = expected
        self.properties = properties
    }
}

@Suite("SQL92 evaluation")
struct SQL92EvaluatorTests {
    static let cases: [EvalCase] = [
        // The seed example and its variations.
        EvalCase("age >= 20 AND sex = '女'", .t),
        EvalCase("age >= 30 AND sex = '女'", .f),
        EvalCase("age >= 20 AND sex = '男'", .f),
        EvalCase("age >= 20 AND sex = '女'", .n, ["age": "25"]),
        EvalCase("age >= 20 AND sex = '女'", .f, ["age": "19"]),
        // Literal type decides how the property is read.
        EvalCase("a > 5", .t), EvalCase("a > 5.0", .t), EvalCase("a > 10", .f), EvalCase("a >= 10", .t),
        EvalCase("a < 10", .f), EvalCase("a <= 10", .t), EvalCase("a = 10", .t), EvalCase("a = 10.0", .t),
        EvalCase("a <> 10", .f), EvalCase("a <> 11", .t),
        EvalCase("f > 3", .n), EvalCase("f > 3.0", .t), EvalCase("big > 3", .n), EvalCase("big > 3.0", .t),
        EvalCase("big > 4999999999", .t), EvalCase("big = 5000000000", .t), EvalCase("big = 5000000000L", .t),
        EvalCase("i > 2147483647", .n), EvalCase("i > 2147483647L", .n), EvalCase("i > 2147483647.0", .t),
        EvalCase("i > 2147483646", .n), EvalCase("l = 9223372036854775807", .t),
        EvalCase("plus = 5", .t), EvalCase("lead = 5", .t), EvalCase("space = 5", .n), EvalCase("x = 1", .n),
        EvalCase("arabic = 5", .t), EvalCase("space = 5.0", .t), EvalCase("padded >= 2.0", .t),
        EvalCase("suffix = 2.0", .t), EvalCase("nan >= 1.0", .t), EvalCase("nan < 1.0", .f),
        EvalCase("inf > 1.0E300", .t), EvalCase("lowinf > 1.0", .n), EvalCase("hex = 16.0", .t),
        EvalCase("badexp > 1.0", .n), EvalCase("negzero < 0.5", .t), EvalCase("negzero > -0.5", .t),
        // Missing properties: unknown, except IS NULL.
        EvalCase("missing > 1", .n), EvalCase("missing = 1", .n), EvalCase("missing <> 1", .n),
        EvalCase("missing IS NULL", .t), EvalCase("missing IS NOT NULL", .f), EvalCase("a IS NULL", .f),
        EvalCase("a IS NOT NULL", .t), EvalCase("e IS NULL", .f), EvalCase("e = ''", .t), EvalCase("e > 1", .n),
        EvalCase("1 IS NULL", .f), EvalCase("NULL IS NULL", .t), EvalCase("NULL IS NOT NULL", .f),
        EvalCase("'x' IS NULL", .f),
        // Strings.
        EvalCase("b = 'abc'", .t), EvalCase("b = 'ABC'", .f), EvalCase("b <> 'abc'", .f),
        EvalCase("a > b", .n), EvalCase("a > c", .f), EvalCase("c > a", .t), EvalCase("a = c", .f),
        EvalCase("x = y", .f), EvalCase("x >= y", .t), EvalCase("'a' = 'a'", .t), EvalCase("'a' = 'b'", .f),
        // IN.
        EvalCase("b IN ('abc', 'def')", .t), EvalCase("b IN ('def')", .f), EvalCase("b NOT IN ('def')", .t),
        EvalCase("b NOT IN ('abc')", .f), EvalCase("missing IN ('abc')", .n),
        EvalCase("missing NOT IN ('abc')", .n), EvalCase("a IN ('10')", .t), EvalCase("a IN ('10.0')", .f),
        EvalCase("b IN ('a','b','c','d','abc','e')", .t), EvalCase("b IN ('a','b','c','d','e','f')", .f),
        EvalCase("b NOT IN ('a','b','c','d','e','f')", .t), EvalCase("name IN ('O''Brien')", .t),
        EvalCase("sex IN ('男', '女')", .t), EvalCase("(a) IN ('10')", .t),
        // BETWEEN.
        EvalCase("c BETWEEN 1 AND 100", .t), EvalCase("c BETWEEN 51 AND 100", .f),
        EvalCase("c BETWEEN 50 AND 50", .t), EvalCase("c NOT BETWEEN 1 AND 100", .f),
        EvalCase("c NOT BETWEEN 51 AND 100", .t), EvalCase("missing BETWEEN 1 AND 2", .n),
        EvalCase("missing NOT BETWEEN 1 AND 2", .n), EvalCase("c BETWEEN missing AND 100", .n),
        EvalCase("c BETWEEN missing AND 10", .f), EvalCase("c NOT BETWEEN missing AND 10", .t),
        EvalCase("c NOT BETWEEN missing AND 100", .n), EvalCase("big BETWEEN 4000000000 AND 6000000000", .t),
        EvalCase("a BETWEEN 5.5 AND 10.5", .t), EvalCase("a BETWEEN 5 AND 10.5", .t),
        EvalCase("f BETWEEN 3 AND 4", .n), EvalCase("f NOT BETWEEN 3 AND 4", .n),
        EvalCase("f BETWEEN 3.0 AND 4.0", .t), EvalCase("c BETWEEN -1 AND +100", .t),
        // CONTAINS / STARTSWITH / ENDSWITH.
        EvalCase("s CONTAINS 'world'", .t), EvalCase("s CONTAINS 'World'", .f),
        EvalCase("s NOT CONTAINS 'world'", .f), EvalCase("s NOT CONTAINS 'xyz'", .t),
        EvalCase("missing CONTAINS 'a'", .f), EvalCase("missing NOT CONTAINS 'a'", .f),
        EvalCase("s CONTAINS ''", .f), EvalCase("s NOT CONTAINS ''", .f), EvalCase("s STARTSWITH 'hello'", .t),
        EvalCase("s STARTSWITH 'world'", .f), EvalCase("s NOT STARTSWITH 'world'", .t),
        EvalCase("s ENDSWITH 'world'", .t), EvalCase("s NOT ENDSWITH 'world'", .f),
        EvalCase("missing NOT STARTSWITH 'x'", .f), EvalCase("missing NOT ENDSWITH 'x'", .f),
        EvalCase("a CONTAINS '1'", .t), EvalCase("10 CONTAINS '1'", .f), EvalCase("sex CONTAINS '女'", .t),
        EvalCase("emoji STARTSWITH '🚀'", .t), EvalCase("comb CONTAINS 'e'", .t),
        EvalCase("s ENDSWITH 'hello world and more'", .f),
        // Boolean literals, casts and three-valued logic.
        EvalCase("TRUE", .t), EvalCase("FALSE", .f), EvalCase("NULL", .n), EvalCase("NOT TRUE", .f),
        EvalCase("NOT NULL", .n), EvalCase("NOT NOT TRUE", .t), EvalCase("NOT NOT NOT TRUE", .f),
        EvalCase("b", .f), EvalCase("missing", .n), EvalCase("NOT b", .t), EvalCase("NOT missing", .n),
        EvalCase("flag", .f), EvalCase("t = TRUE", .t), EvalCase("b = TRUE", .f), EvalCase("b = FALSE", .t),
        EvalCase("flag = TRUE", .t), EvalCase("no = FALSE", .t), EvalCase("TRUE = t", .n),
        EvalCase("1 = TRUE", .f), EvalCase("a = TRUE", .f), EvalCase("TRUE = TRUE", .t),
        EvalCase("TRUE = FALSE", .f), EvalCase("(a = 10) = TRUE", .t), EvalCase("(a = 10) = (b = 'abc')", .t),
        EvalCase("TRUE OR missing > 1", .t), EvalCase("missing > 1 OR TRUE", .t), EvalCase("f > 3 OR TRUE", .n),
        EvalCase("TRUE OR f > 3", .t), EvalCase("FALSE AND f > 3", .f), EvalCase("f > 3 AND FALSE", .n),
        EvalCase("missing > 1 AND FALSE", .f), EvalCase("missing > 1 AND TRUE", .n),
        EvalCase("missing > 1 OR FALSE", .n), EvalCase("FALSE OR FALSE", .f), EvalCase("TRUE AND TRUE AND TRUE", .t),
        EvalCase("(missing = 1) IS NULL", .t), EvalCase("(f > 3) IS NULL", .n),
        EvalCase("(a = 10) IS NOT NULL", .t), EvalCase("NOT (f > 3)", .n),
        // Precedence.
        EvalCase("a = 10 OR a = 1 AND b = 'x'", .t), EvalCase("(a = 10 OR a = 1) AND b = 'x'", .f),
        EvalCase("NOT a = 10", .f), EvalCase("NOT (a = 10)", .f), EvalCase("NOT (a = 11)", .t),
        EvalCase("((((a = 10))))", .t), EvalCase("a > 5 AND b = 'abc' AND c BETWEEN 1 AND 100", .t),
        EvalCase("b = 'abc' AND c BETWEEN 1 AND 100 AND a > 5", .t),
        EvalCase("a > 5 AND b = 'abd' OR c BETWEEN 1 AND 100", .t),
        EvalCase("a > 5 AND (b = 'abd' OR c BETWEEN 60 AND 100)", .f),
        // Unary minus and plus.
        EvalCase("-neg = 7", .n), EvalCase("neg = -7", .t), EvalCase("neg < -5", .t), EvalCase("a > -5", .t),
        EvalCase("a = +10", .t), EvalCase("a = - -10", .t), EvalCase("neg = -7.0", .t), EvalCase("- - 5 = 5", .t),
        EvalCase("-5 = -5", .t), EvalCase("-a = -10", .n), EvalCase("-5000000000 < 0", .t),
        EvalCase("-(a = 1) = 1", .n),
        // Constants.
        EvalCase("1 = 1", .t), EvalCase("1 = 1.0", .t), EvalCase("1 = 1L", .t),
        EvalCase("5000000000 = 5000000000.0", .t), EvalCase("1 < 2", .t), EvalCase("2.5 > 2", .t),
        // Escapes and Unicode.
        EvalCase("name = 'O''Brien'", .t), EvalCase("name = 'O''''Brien'", .f), EvalCase("quote = ''''", .t),
        EvalCase("emoji = '🚀'", .t), EvalCase("comb = '\u{E9}'", .f), EvalCase("comb = 'e\u{301}'", .t),
        EvalCase("sex <> '女'", .f),
        // Number literal forms.
        EvalCase("f = 3.5", .t), EvalCase("f = 3.50", .t), EvalCase("f = 35e-1", .t), EvalCase("f = .35e1", .t),
        EvalCase("f = 35E-1", .t), EvalCase("f = 0.35e+1", .t), EvalCase("a = 10.", .t), EvalCase("a = 1e1", .t),
        // Comments, whitespace and case.
        EvalCase("a = 10 -- comment\n", .t), EvalCase("a = 10 /* c */ AND b = 'abc'", .t),
        EvalCase("a /* x */ = /* y */ 10", .t), EvalCase("a\t=\r\n10\u{0C}", .t),
        EvalCase("a = 10 and b = 'abc'", .t), EvalCase("b in ('abc')", .t), EvalCase("missing is null", .t),
        EvalCase("c between 1 and 100", .t), EvalCase("true", .t), EvalCase("Not FALSE", .t),
        EvalCase("s contains 'world'", .t), EvalCase("s StartsWith 'hello'", .t),
        EvalCase("A = 10", .n), EvalCase("$x = 1", .t), EvalCase("_y = 2", .t), EvalCase("a1 = 'v'", .t),
        // Java's parser stops after the expression: trailing tokens are ignored.
        EvalCase("a = 10 garbage", .t), EvalCase("a = 10 b = 3", .t), EvalCase("a = 10 -- no newline", .t),
        EvalCase("a = 10 NOT b", .t), EvalCase("a = 10)", .t),
    ]

    @Test("evaluates like Java", arguments: cases)
    func evaluates(_ testCase: EvalCase) throws {
        let filter = try SQL92Filter(testCase.expression)
        let result = filter.evaluate { testCase.properties[$0] }
        let outcome: Outcome = result.map { $0 ? .t : .f } ?? .n
        #expect(outcome == testCase.expected, "\(filter)")
        #expect(filter.matches(properties: testCase.properties) == (testCase.expected == .t))
        #expect(filter.evaluateTree { testCase.properties[$0] } == result, "tree and program disagree")
    }

    @Test func needsPropertiesAndPassesConsumeQueue() throws {
        let filter = try SQL92FilterFactory().compile("a > 1")
        #expect(filter.needsProperties)
        #expect(filter.matches(tagsCode: 12345))
        #expect(filter.matches(tagsCode: nil))
        #expect(filter.matches(tagsCode: 1, properties: ["a": "2"]))
        #expect(!filter.matches(tagsCode: 1, properties: ["a": "1"]))
    }

    @Test func evaluationIsRepeatable() throws {
        let filter = try SQL92Filter("a > 5 AND b = 'abc' AND c BETWEEN 1 AND 100")
        for value in 0..<200 {
            let properties = ["a": String(value % 12), "b": value % 3 == 0 ? "abc" : "x", "c": String(value)]
            let expected = value % 12 > 5 && value % 3 == 0 && (1...100).contains(value)
            #expect(filter.matches(properties: properties) == expected)
        }
    }
}
