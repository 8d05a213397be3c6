//===----------------------------------------------------------------------===//
import RocketMQCommon
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Splits a SQL92 selector into tokens on demand, with the token rules of Java's `SelectorParser.jj`.
///
/// Rules that matter for compatibility:
/// - Whitespace is space, tab, LF, CR and FF only; anything else outside a string literal is a lexical error.
/// - `-- comment` must end with a line break: at the end of input without one, JavaCC cannot complete the
///   comment token and lexes `-` instead. `/* … */` ends at the first `*/`.
/// - Identifiers are `[a-zA-Z_$][a-zA-Z0-9_$]*` (no dots, ASCII only); keywords are case-insensitive and
///   win over identifiers of the same length.
/// - `DECIMAL_LITERAL` is `0` or `[1-9][0-9]*[lL]?` (so `0123` is `0` then `123`, and `0L` is `0` then `L`);
///   `FLOATING_POINT_LITERAL` is `d+.d*[e[+-]d+]`, `.d+[e…]` or `d+e[+-]d+`; the longest match wins.
/// - Strings are single-quoted; `''` is a quote.
/// - The only operators are `=`, `<>`, `>`, `>=`, `<`, `<=`, `+`, `-`; `!` is no token at all, so `a != 1` is a
///   lexical error at the `!`, as on a Java broker (JavaCC's token manager rejects it).
///
/// The lexer is lazy, as JavaCC's token manager is: the parser pulls tokens one at a time, so characters after
/// the point where parsing stops are never examined (see ``SQL92Parser``).
struct SQL92Lexer {
    let scalars: [Unicode.Scalar]
    private(set) var index = 0

    init(_ text: String) {
        self.scalars = Array(text.unicodeScalars)
    }

    /// Lexes the next token, skipping whitespace and comments.
    mutating func next() throws(FilterError) -> SQL92Token {
        self.skipTrivia()
        guard self.index < self.scalars.count else {
            return SQL92Token(kind: .endOfInput, offset: self.index, text: "")
        }
        let start = self.index
        let c = self.scalars[start]
        switch c {
        case "'":
            return try self.stringLiteral()
        case "0"..."9":
            return self.number()
        case ".":
            if self.isDigit(at: start + 1) { return self.number() }
        case "a"..."z", "A"..."Z", "_", "$":
            return self.identifierOrKeyword()
        case "=": return self.punctuation(.equal, length: 1)
        case "<":
            if self.scalar(at: start + 1) == ">" { return self.punctuation(.notEqual, length: 2) }
            if self.scalar(at: start + 1) == "=" { return self.punctuation(.lessEqual, length: 2) }
            return self.punctuation(.less, length: 1)
        case ">":
            if self.scalar(at: start + 1) == "=" { return self.punctuation(.greaterEqual, length: 2) }
            return self.punctuation(.greater, length: 1)
        case "(": return self.punctuation(.leftParen, length: 1)
        case ")": return self.punctuation(.rightParen, length: 1)
        case ",": return self.punctuation(.comma, length: 1)
        case "+": return self.punctuation(.plus, length: 1)
        case "-": return self.punctuation(.minus, length: 1)
        case "/":
            if self.scalar(at: start + 1) == "*" {
                throw self.lexicalError(at: start, "unterminated comment")
            }
        default:
            break
        }
        throw self.lexicalError(at: start, "unexpected character \(Self.describe(c))")
    }

    // MARK: - Trivia

    private mutating func skipTrivia() {
        while self.index < self.scalars.count {
            let c = self.scalars[self.index]
            switch c {
            case " ", "\t", "\n", "\r", "\u{0C}":
                self.index += 1
            case "-" where self.scalar(at: self.index + 1) == "-":
                // A line comment only exists if a line break follows; otherwise this is a minus sign.
                var i = self.index + 2
                while i < self.scalars.count, self.scalars[i] != "\n", self.scalars[i] != "\r" { i += 1 }
                guard i < self.scalars.count else { return }
                self.index = i + 1
            case "/" where self.scalar(at: self.index + 1) == "*":
                var i = self.index + 2
                while i + 1 < self.scalars.count, !(self.scalars[i] == "*" && self.scalars[i + 1] == "/") { i += 1 }
                guard i + 1 < self.scalars.count else { return }  // unterminated: reported by next()
                self.index = i + 2
            default:
                return
            }
        }
    }

    // MARK: - Tokens

    private mutating func punctuation(_ kind: SQL92Token.Kind, length: Int) -> SQL92Token {
        let start = self.index
        self.index += length
        return SQL92Token(kind: kind, offset: start, text: self.text(start, self.index))
    }

    private mutating func identifierOrKeyword() -> SQL92Token {
        let start = self.index
        self.index += 1
        while let c = self.scalar(at: self.index), Self.isIdentifierPart(c) { self.index += 1 }
        let text = self.text(start, self.index)
        if let keyword = SQL92Token.Kind.keywords[ExpressionType.normalized(text)] {
            return SQL92Token(kind: keyword, offset: start, text: text)
        }
        return SQL92Token(kind: .identifier, offset: start, text: text)
    }

    private mutating func stringLiteral() throws(FilterError) -> SQL92Token {
        let start = self.index
        var value = String.UnicodeScalarView()
        var i = start + 1
        while i < self.scalars.count {
            let c = self.scalars[i]
            if c == "'" {
                if self.scalar(at: i + 1) == "'" {
                    value.append("'")
                    i += 2
                    continue
                }
                self.index = i + 1
                return SQL92Token(kind: .string, offset: start, text: String(value))
            }
            value.append(c)
            i += 1
        }
        throw self.lexicalError(at: start, "unterminated string literal")
    }

    /// Longest match between `DECIMAL_LITERAL` and `FLOATING_POINT_LITERAL`.
    private mutating func number() -> SQL92Token {
        let start = self.index
        var i = start
        while self.isDigit(at: i) { i += 1 }
        let integerDigits = i - start
        var isFloat = false
        if self.scalar(at: i) == ".", integerDigits > 0 || self.isDigit(at: i + 1) {
            isFloat = true
            i += 1
            while self.isDigit(at: i) { i += 1 }
        }
        if let e = self.scalar(at: i), e == "e" || e == "E" {
            var j = i + 1
            if let sign = self.scalar(at: j), sign == "+" || sign == "-" { j += 1 }
            if self.isDigit(at: j) {
                while self.isDigit(at: j) { j += 1 }
                isFloat = true
                i = j
            }
        }
        if isFloat {
            self.index = i
            return SQL92Token(kind: .float, offset: start, text: self.text(start, i))
        }
        // DECIMAL_LITERAL: "0" alone, or [1-9][0-9]* with an optional l/L.
        if self.scalars[start] == "0" {
            self.index = start + 1
        } else {
            self.index = start + integerDigits
            if let l = self.scalar(at: self.index), l == "l" || l == "L" { self.index += 1 }
        }
        return SQL92Token(kind: .decimal, offset: start, text: self.text(start, self.index))
    }

    // MARK: - Helpers

    private func scalar(at i: Int) -> Unicode.Scalar? {
        i < self.scalars.count ? self.scalars[i] : nil
    }

    private func isDigit(at i: Int) -> Bool {
        guard let c = self.scalar(at: i) else { return false }
        return c.value >= 0x30 && c.value <= 0x39
    }

    private static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "$": return true
        default: return false
        }
    }

    private func text(_ from: Int, _ to: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: self.scalars[from..<to])
        return String(view)
    }

    static func describe(_ c: Unicode.Scalar) -> String {
        let hex = String(c.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        if c.properties.generalCategory == .control || c.properties.isWhitespace {
            return code
        }
        return "\"\(c)\" (\(code))"
    }

    /// Line and column (1-based) of a scalar offset.
    func position(of offset: Int) -> FilterError.Position {
        var line = 1
        var column = 1
        var i = 0
        let end = min(offset, self.scalars.count)
        while i < end {
            let c = self.scalars[i]
            if c == "\n" || (c == "\r" && self.scalar(at: i + 1) != "\n") {
                line += 1
                column = 1
            } else if c != "\r" {
                column += 1
            }
            i += 1
        }
        return FilterError.Position(offset: offset, line: line, column: column)
    }

    func lexicalError(at offset: Int, _ reason: String) -> FilterError {
        FilterError(
            code: .lexical, expressionType: ExpressionType.sql92, position: self.position(of: offset), reason: reason)
    }
}
