//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Testing

@testable import RocketMQFilter

@Suite("SQL92 parsing")
struct SQL92ParserTests {
    /// Source → fully parenthesised tree: precedence, associativity and Java's rewrites.
    static let trees: [(String, String)] = [
        ("age >= 20 AND sex = '女'", "((age >= 20) AND (sex = '女'))"),
        ("a = 1 OR b = 2 AND c = 3", "((a = 1) OR ((b = 2) AND (c = 3)))"),
        ("a = 1 AND b = 2 OR c = 3", "(((a = 1) AND (b = 2)) OR (c = 3))"),
        ("(a = 1 OR b = 2) AND c = 3", "(((a = 1) OR (b = 2)) AND (c = 3))"),
        ("a = 1 AND b = 2 AND c = 3", "((a = 1) AND (b = 2) AND (c = 3))"),
        ("a = 1 OR b = 2 OR c = 3 OR d = 4", "((a = 1) OR (b = 2) OR (c = 3) OR (d = 4))"),
        ("NOT a = 1", "((NOT a) = 1)"),
        ("NOT (a = 1)", "(NOT (a = 1))"),
        ("a <> 1", "(NOT (a = 1))"),
        ("a IS NULL", "(a IS NULL)"),
        ("a IS NOT NULL", "(NOT (a IS NULL))"),
        ("a > 1 = TRUE", "((a > 1) = TRUE)"),
        ("a = 1 = TRUE", "((a = 1) = TRUE)"),
        ("a BETWEEN 1 AND 2", "(a BETWEEN 1 AND 2)"),
        ("a NOT BETWEEN 1 AND 2 AND b = 1", "((a NOT BETWEEN 1 AND 2) AND (b = 1))"),
        ("a BETWEEN -2 AND -1", "(a BETWEEN (- 2) AND (- 1))"),
        ("a IN ('x', 'y''z')", "(a IN ('x', 'y''z'))"),
        ("a NOT IN ('x')", "(a NOT IN ('x'))"),
        ("a CONTAINS 'x'", "(a CONTAINS 'x')"),
        ("a NOT STARTSWITH 'x'", "(a NOT STARTSWITH 'x')"),
        ("a ENDSWITH 'x' OR b NOT ENDSWITH 'y'", "((a ENDSWITH 'x') OR (b NOT ENDSWITH 'y'))"),
        ("-a > 1", "((- a) > 1)"),
        ("+a > 1", "(a > 1)"),
        ("- - 1 = 1", "((- (- 1)) = 1)"),
        ("a", "a"),
        ("NOT a", "(NOT a)"),
        ("TRUE", "TRUE"),
        ("null", "NULL"),
        ("a = 2147483647", "(a = 2147483647)"),
        ("a = 2147483648", "(a = 2147483648)"),
        ("a = 7L", "(a = 7)"),
        ("a = 1.5", "(a = 1.5)"),
        ("a = .5", "(a = 0.5)"),
        ("a = 5.", "(a = 5.0)"),
        ("a = 1E3", "(a = 1000.0)"),
        ("a = 0", "(a = 0)"),
        ("a = 0123", "(a = 0)"),
        ("A_b$9 = 'v'", "(A_b$9 = 'v')"),
        ("$ = 1", "($ = 1)"),
        ("a = 1 -- note\n AND b = 2", "((a = 1) AND (b = 2))"),
        ("a = 1 /* one\n two */ OR b = 2", "((a = 1) OR (b = 2))"),
        ("a = 1 /**/ OR /***/ b = 2", "((a = 1) OR (b = 2))"),
        ("notx = 1", "(notx = 1)"),
        ("andy = 1 and orb = 2", "((andy = 1) AND (orb = 2))"),
        ("a = 1 xyz", "(a = 1)"),
        ("a = 'it''s'", "(a = 'it''s')"),
        ("a = ''", "(a = '')"),
        ("(((a)))", "a"),
    ]

    @Test("parse tree", arguments: trees)
    func tree(_ source: String, _ rendered: String) throws {
        #expect(try SQL92Filter(source).description == rendered)
    }

    /// Source → the exact error text (golden), covering lexical, syntax and parse-time check errors.
    static let errors: [(String, String)] = [
        ("", #"SQL92 syntax error at line 1, column 1: found end of expression; expected one of: string literal, integer literal, float literal, TRUE, FALSE, NULL, identifier, "(", "+", "-", NOT"#),
        ("a =", #"SQL92 syntax error at line 1, column 4: found end of expression; expected one of: string literal, integer literal, float literal, TRUE, FALSE, NULL, identifier, "(", "+", "-", NOT"#),
        ("a = 1 AND", #"SQL92 syntax error at line 1, column 10: found end of expression; expected one of: string literal, integer literal, float literal, TRUE, FALSE, NULL, identifier, "(", "+", "-", NOT"#),
        ("AND a = 1", #"SQL92 syntax error at line 1, column 1: found "AND"; expected one of: string literal, integer literal, float literal, TRUE, FALSE, NULL, identifier, "(", "+", "-", NOT"#),
        ("a = 1\nAND\n", #"SQL92 syntax error at line 3, column 1: found end of expression; expected one of: string literal, integer literal, float literal, TRUE, FALSE, NULL, identifier, "(", "+", "-", NOT"#),
        ("a > 'abc'", #"SQL92 invalid expression at line 1, column 5: 'abc' cannot be compared with ">""#),
        ("a >= TRUE", #"SQL92 invalid expression at line 1, column 6: TRUE cannot be compared with ">=""#),
        ("'abc' < a", #"SQL92 invalid expression at line 1, column 1: 'abc' cannot be compared with "<""#),
        ("a > (b = 1)", #"SQL92 invalid expression at line 1, column 5: (b = 1) cannot be compared with ">""#),
        ("a <= NULL", #"SQL92 invalid expression at line 1, column 6: NULL cannot be compared with "<=""#),
        ("a = NULL", #"SQL92 invalid expression at line 1, column 5: NULL cannot be compared with "="; use IS NULL"#),
        ("NULL <> a", #"SQL92 invalid expression at line 1, column 1: NULL cannot be compared with "<>"; use IS NULL"#),
        ("TRUE = 1", #"SQL92 invalid expression at line 1, column 6: TRUE cannot be compared with 1"#),
        ("FALSE = 'x'", #"SQL92 invalid expression at line 1, column 7: FALSE cannot be compared with 'x'"#),
        ("a BETWEEN 10 AND 1", #"SQL92 invalid expression at line 1, column 3: BETWEEN lower bound 10 is greater than upper bound 1"#),
        ("a BETWEEN 'b' AND 'a'", #"SQL92 invalid expression at line 1, column 3: BETWEEN lower bound 'b' is greater than upper bound 'a'"#),
        ("a BETWEEN 'a' AND 'b'", #"SQL92 invalid expression at line 1, column 11: 'a' cannot be compared with ">=""#),
        ("a BETWEEN NULL AND 1", #"SQL92 invalid expression at line 1, column 3: BETWEEN bounds cannot be NULL"#),
        ("a BETWEEN 'x' AND 5", #"SQL92 invalid expression at line 1, column 3: BETWEEN bounds 'x' and 5 cannot be compared"#),
        ("TRUE BETWEEN 1 AND 2", #"SQL92 invalid expression at line 1, column 1: TRUE cannot be compared with ">=""#),
        ("a NOT BETWEEN 1 AND 'z'", #"SQL92 invalid expression at line 1, column 21: 'z' cannot be compared with ">""#),
        ("a BETWEEN 1 OR 2", #"SQL92 syntax error at line 1, column 13: found "OR"; expected AND"#),
        ("1 IN ('a')", #"SQL92 invalid expression at line 1, column 1: IN needs a property on its left, got 1"#),
        ("a IN (1)", #"SQL92 syntax error at line 1, column 7: found "1"; expected string literal"#),
        ("a IN ()", #"SQL92 syntax error at line 1, column 7: found ")"; expected string literal"#),
        ("a IN ('x' 'y')", #"SQL92 syntax error at line 1, column 11: found 'y'; expected one of: ",", ")""#),
        ("a IN 'x'", #"SQL92 syntax error at line 1, column 6: found 'x'; expected "(""#),
        ("a CONTAINS 5", #"SQL92 syntax error at line 1, column 12: found "5"; expected string literal"#),
        ("a NOT ENDSWITH b", #"SQL92 syntax error at line 1, column 16: found "b"; expected string literal"#),
        ("a IS 5", #"SQL92 syntax error at line 1, column 6: found "5"; expected one of: NULL, NOT"#),
        ("a IS NOT 5", #"SQL92 syntax error at line 1, column 10: found "5"; expected NULL"#),
        ("(a = 1", #"SQL92 syntax error at line 1, column 7: found end of expression; expected ")""#),
        ("+", #"SQL92 syntax error at line 1, column 2: found end of expression; expected one of: string literal, integer literal, float literal, TRUE, FALSE, NULL, identifier, "(", "+", "-", NOT"#),
        ("5", #"SQL92 invalid expression at line 1, column 1: expression will not result in a boolean value: 5"#),
        ("'abc'", #"SQL92 invalid expression at line 1, column 1: expression will not result in a boolean value: 'abc'"#),
        ("NOT 5", #"SQL92 invalid expression at line 1, column 5: expression will not result in a boolean value: 5"#),
        ("a = 1 AND -b", #"SQL92 invalid expression at line 1, column 11: expression will not result in a boolean value: (- b)"#),
        ("a = '女", #"SQL92 lexical error at line 1, column 5: unterminated string literal"#),
        ("sex = 女", #"SQL92 lexical error at line 1, column 7: unexpected character "女" (U+5973)"#),
        ("a # 1", ##"SQL92 lexical error at line 1, column 3: unexpected character "#" (U+0023)"##),
        ("a = 1 !", #"SQL92 lexical error at line 1, column 7: unexpected character "!" (U+0021)"#),
        ("a != 1", #"SQL92 lexical error at line 1, column 3: unexpected character "!" (U+0021)"#),
        ("a = 1 AND\n b != 'x'", #"SQL92 lexical error at line 2, column 4: unexpected character "!" (U+0021)"#),
        ("a = 1 /* open", #"SQL92 lexical error at line 1, column 7: unterminated comment"#),
        ("a\n  = \u{7}", #"SQL92 lexical error at line 2, column 5: unexpected character U+0007"#),
        ("a.b = 1", #"SQL92 lexical error at line 1, column 2: unexpected character "." (U+002E)"#),
        ("a = 0.0", #"SQL92 invalid expression at line 1, column 5: float literal 0.0 is less than 4.9E-324"#),
        ("a = 1e-400", #"SQL92 invalid expression at line 1, column 5: float literal 1e-400 is less than 4.9E-324"#),
        ("a = 1e400", #"SQL92 invalid expression at line 1, column 5: float literal 1e400 is greater than 1.7976931348623157E308"#),
        ("a = 9223372036854775808", #"SQL92 invalid expression at line 1, column 5: integer literal 9223372036854775808 is out of the Long range"#),
        ("a = 1 OR", #"SQL92 syntax error at line 1, column 9: found end of expression; expected one of: string literal, integer literal, float literal, TRUE, FALSE, NULL, identifier, "(", "+", "-", NOT"#),
    ]

    @Test("golden error message", arguments: errors)
    func error(_ source: String, _ message: String) {
        #expect(throws: FilterError.self) { try SQL92Filter(source) }
        do {
            _ = try SQL92Filter(source)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func errorCarriesPositionAndExpectations() {
        do {
            _ = try SQL92Filter("age >= 20 AND AND")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.code == .syntax)
            #expect(error.expressionType == "SQL92")
            #expect(error.position == FilterError.Position(offset: 14, line: 1, column: 15))
            #expect(error.reason == #"found "AND""#)
            #expect(error.expected.contains("identifier"))
        }
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "(", count: 5000) + "a = 1" + String(repeating: ")", count: 5000)
        #expect(throws: FilterError.self) { try SQL92Filter(deep) }
        let nots = String(repeating: "NOT ", count: 5000) + "TRUE"
        #expect(throws: FilterError.self) { try SQL92Filter(nots) }
        let chain = "a" + String(repeating: " CONTAINS 'x'", count: 5000)
        #expect(throws: FilterError.self) { try SQL92Filter(chain) }
        let ok = String(repeating: "(", count: 100) + "a = 1" + String(repeating: ")", count: 100)
        #expect(throws: Never.self) { try SQL92Filter(ok) }
    }

    @Test func longFlatChainsAreFine() throws {
        let clauses = (0..<5000).map { "a = \($0)" }.joined(separator: " OR ")
        let filter = try SQL92Filter(clauses)
        #expect(filter.matches(properties: ["a": "4999"]))
        #expect(!filter.matches(properties: ["a": "5000"]))
    }
}
