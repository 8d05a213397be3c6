//===----------------------------------------------------------------------===//
import RocketMQCommon
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Recursive-descent parser for SQL92 selectors, following Java's `SelectorParser.jj` production by
/// production (precedence low → high: OR, AND, equality, comparison, unary, primary).
///
/// Compatibility notes:
/// - Like the JavaCC parser, parsing stops after the top-level `OR` expression without requiring the end of
///   input: `a = 1 xyz` compiles as `a = 1` on a Java broker, so it does here. Only the token right after the
///   expression is lexed (a lexical error there is still reported), as with JavaCC's lazy token manager.
/// - Parse-time operand checks are Java's (``SQL92Parser+Checks.swift``).
/// - `!=` is not an operator (Java's grammar has only `<>`); the lexer rejects the `!`.
/// - Nesting is capped at ``maxDepth`` so hostile input cannot exhaust the stack (Java would overflow its
///   stack and report the expression as invalid).
struct SQL92Parser {
    /// Deepest expression tree accepted. Evaluation recurses once per level on a pool thread's stack.
    static let maxDepth = 128

    /// A parsed sub-expression with what the checks and error messages need.
    struct Parsed {
        var expression: SQL92Expression
        /// Scalar offset where the sub-expression starts.
        var offset: Int
        /// Height of the tree (a leaf is 1).
        var depth: Int
    }

    var lexer: SQL92Lexer
    private var buffer: [SQL92Token] = []
    /// Current recursion depth through ``unaryExpression()`` (each `(`, `NOT`, `-`, `+` goes through it).
    private var nesting = 0

    init(_ text: String) {
        self.lexer = SQL92Lexer(text)
    }

    /// Compiles a selector.
    static func parse(_ text: String) throws(FilterError) -> SQL92Expression {
        var parser = SQL92Parser(text)
        let top = try parser.orExpression()
        return try parser.asBoolean(top).expression
    }

    // MARK: - Token access

    mutating func peek(_ k: Int = 0) throws(FilterError) -> SQL92Token {
        while self.buffer.count <= k {
            self.buffer.append(try self.lexer.next())
        }
        return self.buffer[k]
    }

    @discardableResult
    mutating func advance() throws(FilterError) -> SQL92Token {
        let token = try self.peek()
        self.buffer.removeFirst()
        return token
    }

    mutating func expect(_ kind: SQL92Token.Kind) throws(FilterError) -> SQL92Token {
        let token = try self.peek()
        guard token.kind == kind else { throw self.syntaxError(token, expected: [kind]) }
        return try self.advance()
    }

    // MARK: - Productions

    /// `orExpr := andExpr (OR andExpr)*`
    mutating func orExpression() throws(FilterError) -> Parsed {
        let first = try self.andExpression()
        guard try self.peek().kind == .or else { return first }
        var operands = [try self.asBoolean(first)]
        while try self.peek().kind == .or {
            try self.advance()
            operands.append(try self.asBoolean(try self.andExpression()))
        }
        return try self.make(.or(operands.map(\.expression)), at: first.offset, children: operands)
    }

    /// `andExpr := eqExpr (AND eqExpr)*`
    mutating func andExpression() throws(FilterError) -> Parsed {
        let first = try self.equalityExpression()
        guard try self.peek().kind == .and else { return first }
        var operands = [try self.asBoolean(first)]
        while try self.peek().kind == .and {
            try self.advance()
            operands.append(try self.asBoolean(try self.equalityExpression()))
        }
        return try self.make(.and(operands.map(\.expression)), at: first.offset, children: operands)
    }

    /// `eqExpr := cmpExpr ('=' cmpExpr | '<>' cmpExpr | IS NULL | IS NOT NULL)*`
    mutating func equalityExpression() throws(FilterError) -> Parsed {
        var left = try self.comparisonExpression()
        while true {
            let token = try self.peek()
            switch token.kind {
            case .equal, .notEqual:
                try self.advance()
                let right = try self.comparisonExpression()
                let equal = try self.makeEqual(left, right, operator: token)
                left = token.kind == .equal ? equal : try self.make(.not(equal.expression), at: left.offset, children: [equal])
            case .is:
                try self.advance()
                let next = try self.peek()
                let isNull = try self.make(.isNull(left.expression), at: left.offset, children: [left])
                if next.kind == .null {
                    try self.advance()
                    left = isNull
                } else if next.kind == .not {
                    try self.advance()
                    _ = try self.expect(.null)
                    left = try self.make(.not(isNull.expression), at: left.offset, children: [isNull])
                } else {
                    throw self.syntaxError(next, expected: [.null, .not])
                }
            default:
                return left
            }
        }
    }

    /// `cmpExpr := unary (('>'|'>='|'<'|'<=') unary | [NOT] BETWEEN unary AND unary | [NOT] IN (...)
    ///            | [NOT] CONTAINS str | [NOT] STARTSWITH str | [NOT] ENDSWITH str)*`
    mutating func comparisonExpression() throws(FilterError) -> Parsed {
        var left = try self.unaryExpression()
        while true {
            let token = try self.peek()
            var negated = false
            var keyword = token
            switch token.kind {
            case .greater, .greaterEqual, .less, .lessEqual:
                try self.advance()
                let right = try self.unaryExpression()
                left = try self.makeComparison(Self.comparison(token.kind), left, right, operator: token)
                continue
            case .not:
                // Only `NOT BETWEEN/IN/CONTAINS/STARTSWITH/ENDSWITH` continue the comparison (LOOKAHEAD(2)).
                let next = try self.peek(1)
                switch next.kind {
                case .between, .in, .contains, .startsWith, .endsWith:
                    try self.advance()
                    negated = true
                    keyword = next
                default:
                    return left
                }
            case .between, .in, .contains, .startsWith, .endsWith:
                break
            default:
                return left
            }
            try self.advance()
            switch keyword.kind {
            case .between:
                let low = try self.unaryExpression()
                _ = try self.expect(.and)
                let high = try self.unaryExpression()
                left = try self.makeBetween(left, low, high, negated: negated, operator: token)
            case .in:
                let items = try self.inList()
                left = try self.makeIn(left, items, negated: negated, operator: token)
            default:
                let search = try self.expect(.string).text
                let kind: SQL92Expression.StringMatch =
                    keyword.kind == .contains ? .contains : (keyword.kind == .startsWith ? .startsWith : .endsWith)
                left = try self.make(
                    .stringMatch(kind, left.expression, search: search, negated: negated), at: left.offset,
                    children: [left])
            }
        }
    }

    /// `'(' string (',' string)* ')'`
    private mutating func inList() throws(FilterError) -> [String] {
        _ = try self.expect(.leftParen)
        var items = [try self.expect(.string).text]
        while true {
            let token = try self.peek()
            switch token.kind {
            case .comma:
                try self.advance()
                items.append(try self.expect(.string).text)
            case .rightParen:
                try self.advance()
                return items
            default:
                throw self.syntaxError(token, expected: [.comma, .rightParen])
            }
        }
    }

    /// `unary := '+' unary | '-' unary | NOT unary | primary`
    mutating func unaryExpression() throws(FilterError) -> Parsed {
        let token = try self.peek()
        // Checked on the way down so that hostile nesting cannot overflow the parser's own stack.
        self.nesting += 1
        defer { self.nesting -= 1 }
        try self.checkDepth(self.nesting, at: token.offset)
        switch token.kind {
        case .plus:
            try self.advance()
            var operand = try self.unaryExpression()
            operand.offset = token.offset
            return operand
        case .minus:
            try self.advance()
            let operand = try self.unaryExpression()
            return try self.make(.negate(operand.expression), at: token.offset, children: [operand])
        case .not:
            try self.advance()
            let operand = try self.asBoolean(try self.unaryExpression())
            return try self.make(.not(operand.expression), at: token.offset, children: [operand])
        default:
            return try self.primaryExpression()
        }
    }

    /// `primary := literal | identifier | '(' orExpr ')'`
    mutating func primaryExpression() throws(FilterError) -> Parsed {
        let token = try self.advanceOperand()
        switch token.kind {
        case .string: return Parsed(expression: .constant(.string(token.text)), offset: token.offset, depth: 1)
        case .decimal: return Parsed(expression: .constant(try self.decimal(token)), offset: token.offset, depth: 1)
        case .float: return Parsed(expression: .constant(try self.float(token)), offset: token.offset, depth: 1)
        case .true: return Parsed(expression: .constant(.bool(true)), offset: token.offset, depth: 1)
        case .false: return Parsed(expression: .constant(.bool(false)), offset: token.offset, depth: 1)
        case .null: return Parsed(expression: .constant(nil), offset: token.offset, depth: 1)
        case .identifier: return Parsed(expression: .property(token.text), offset: token.offset, depth: 1)
        default:
            // `(`: the parenthesised expression keeps its own tree; only the nesting depth grows.
            var inner = try self.orExpression()
            _ = try self.expect(.rightParen)
            inner.offset = token.offset
            inner.depth += 1
            try self.checkDepth(inner.depth, at: token.offset)
            return inner
        }
    }

    /// Consumes the token that starts a primary expression, or reports what an operand may start with.
    private mutating func advanceOperand() throws(FilterError) -> SQL92Token {
        let token = try self.peek()
        switch token.kind {
        case .string, .decimal, .float, .true, .false, .null, .identifier, .leftParen:
            return try self.advance()
        default:
            throw self.syntaxError(token, expected: Self.operandStart)
        }
    }

    static let operandStart: [SQL92Token.Kind] = [
        .string, .decimal, .float, .true, .false, .null, .identifier, .leftParen, .plus, .minus, .not,
    ]

    private static func comparison(_ kind: SQL92Token.Kind) -> SQL92Expression.Comparison {
        switch kind {
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        case .less: return .less
        default: return .lessEqual
        }
    }

    // MARK: - Errors

    func syntaxError(_ token: SQL92Token, expected: [SQL92Token.Kind]) -> FilterError {
        FilterError(
            code: .syntax, expressionType: ExpressionType.sql92, position: self.lexer.position(of: token.offset),
            reason: "found \(token.quoted)", expected: expected.map(\.displayName))
    }

    func invalid(_ reason: String, at offset: Int) -> FilterError {
        FilterError(
            code: .invalidExpression, expressionType: ExpressionType.sql92,
            position: self.lexer.position(of: offset), reason: reason)
    }

    /// Wraps a node, enforcing ``maxDepth``.
    func make(_ expression: SQL92Expression, at offset: Int, children: [Parsed]) throws(FilterError) -> Parsed {
        let depth = 1 + children.reduce(0) { max($0, $1.depth) }
        try self.checkDepth(depth, at: offset)
        return Parsed(expression: expression, offset: offset, depth: depth)
    }

    private func checkDepth(_ depth: Int, at offset: Int) throws(FilterError) {
        if depth > Self.maxDepth {
            throw self.invalid("expression is nested too deeply (more than \(Self.maxDepth) levels)", at: offset)
        }
    }
}
