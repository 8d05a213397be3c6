//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// One token of a SQL92 selector (the token set of Java's `SelectorParser.jj`).
struct SQL92Token: Sendable {
    enum Kind: Hashable, Sendable {
        case endOfInput
        // Keywords (matched case-insensitively).
        case not, and, or, between, `in`, `true`, `false`, null, `is`, contains, startsWith, endsWith
        // Literals and names.
        case decimal, float, string, identifier
        // Punctuation.
        case equal, notEqual, greater, greaterEqual, less, lessEqual, leftParen, comma, rightParen, plus, minus

        /// How the token kind is named in "expected …" lists.
        var displayName: String {
            switch self {
            case .endOfInput: return "end of expression"
            case .not: return "NOT"
            case .and: return "AND"
            case .or: return "OR"
            case .between: return "BETWEEN"
            case .in: return "IN"
            case .true: return "TRUE"
            case .false: return "FALSE"
            case .null: return "NULL"
            case .is: return "IS"
            case .contains: return "CONTAINS"
            case .startsWith: return "STARTSWITH"
            case .endsWith: return "ENDSWITH"
            case .decimal: return "integer literal"
            case .float: return "float literal"
            case .string: return "string literal"
            case .identifier: return "identifier"
            case .equal: return "\"=\""
            case .notEqual: return "\"<>\""
            case .greater: return "\">\""
            case .greaterEqual: return "\">=\""
            case .less: return "\"<\""
            case .lessEqual: return "\"<=\""
            case .leftParen: return "\"(\""
            case .comma: return "\",\""
            case .rightParen: return "\")\""
            case .plus: return "\"+\""
            case .minus: return "\"-\""
            }
        }

        /// Keywords by their upper-case spelling (JavaCC `TOKEN [IGNORE_CASE]`).
        static let keywords: [String: Kind] = [
            "NOT": .not, "AND": .and, "OR": .or, "BETWEEN": .between, "IN": .in, "TRUE": .true,
            "FALSE": .false, "NULL": .null, "IS": .is, "CONTAINS": .contains, "STARTSWITH": .startsWith,
            "ENDSWITH": .endsWith,
        ]
    }

    var kind: Kind
    /// Scalar offset of the first character.
    var offset: Int
    /// The source text of the token (for string literals: the decoded value, quotes and `''` removed).
    var text: String

    /// How the token is shown in "found …" messages.
    var quoted: String {
        switch self.kind {
        case .endOfInput: return "end of expression"
        case .string: return "'" + self.text.replacingQuotes() + "'"
        default: return "\"\(self.text)\""
        }
    }
}

extension String {
    /// Re-escapes single quotes the way a selector would spell the literal (Java `encodeString`).
    func replacingQuotes() -> String {
        var out = ""
        for scalar in self.unicodeScalars {
            if scalar == "'" { out.unicodeScalars.append("'") }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
