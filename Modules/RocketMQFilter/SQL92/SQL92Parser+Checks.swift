//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Java's parse-time checks (ComparisonExpression `checkLessThanOperand`, `checkEqualOperand`,
/// `checkEqualOperandCompatability`, `createBetween`, `createInFilter`; SelectorParser `asBooleanExpression`;
/// ConstantExpression `createFromDecimal`/`createFloat`). Rejecting here rather than at evaluation time is what a
/// Java broker does, so a subscription that a Java broker refuses is refused here too.
extension SQL92Parser {
    /// A condition is needed: boolean expressions pass, a bare property becomes a boolean cast.
    func asBoolean(_ parsed: Parsed) throws(FilterError) -> Parsed {
        if parsed.expression.isBoolean { return parsed }
        if case .property(let name) = parsed.expression {
            return Parsed(expression: .booleanCast(name), offset: parsed.offset, depth: parsed.depth)
        }
        throw self.invalid("expression will not result in a boolean value: \(parsed.expression)", at: parsed.offset)
    }

    /// `=`: NULL literals are refused (use IS NULL); TRUE/FALSE literal on the left needs a boolean on the right.
    func makeEqual(_ left: Parsed, _ right: Parsed, operator token: SQL92Token) throws(FilterError) -> Parsed {
        for side in [left, right] {
            if case .constant(nil) = side.expression {
                throw self.invalid("NULL cannot be compared with \(token.quoted); use IS NULL", at: side.offset)
            }
        }
        if case .constant(.some(.bool)) = left.expression, case .constant(let r) = right.expression,
            !right.expression.isBoolean
        {
            throw self.invalid(
                "\(left.expression) cannot be compared with \(r?.sqlText ?? "NULL")", at: token.offset)
        }
        return try self.make(.equal(left.expression, right.expression), at: left.offset, children: [left, right])
    }

    /// `>`, `>=`, `<`, `<=`: neither side may be a string/boolean/NULL literal or a condition.
    func makeComparison(
        _ op: SQL92Expression.Comparison, _ left: Parsed, _ right: Parsed, operator token: SQL92Token
    ) throws(FilterError) -> Parsed {
        try self.checkOrderable(left, operator: op.symbol, at: token.offset)
        try self.checkOrderable(right, operator: op.symbol, at: token.offset)
        return try self.make(.compare(op, left.expression, right.expression), at: left.offset, children: [left, right])
    }

    func checkOrderable(_ parsed: Parsed, operator symbol: String, at offset: Int) throws(FilterError) {
        if case .constant(let value) = parsed.expression {
            if value?.isNumber == true { return }
            throw self.invalid("\(parsed.expression) cannot be compared with \"\(symbol)\"", at: parsed.offset)
        }
        if parsed.expression.isBoolean {
            throw self.invalid("\(parsed.expression) cannot be compared with \"\(symbol)\"", at: parsed.offset)
        }
    }

    /// BETWEEN: two literal bounds must be non-NULL and in order (low ≤ high); all operands must be orderable.
    func makeBetween(
        _ value: Parsed, _ low: Parsed, _ high: Parsed, negated: Bool, operator token: SQL92Token
    ) throws(FilterError) -> Parsed {
        if !negated, case .constant(let l) = low.expression, case .constant(let h) = high.expression {
            guard let l, let h else {
                throw self.invalid("BETWEEN bounds cannot be NULL", at: token.offset)
            }
            let sign: Int
            do {
                sign = try SQL92Value.compare(h, l)
            } catch {
                throw self.invalid("BETWEEN bounds \(l.sqlText) and \(h.sqlText) cannot be compared", at: token.offset)
            }
            if sign < 0 {
                throw self.invalid(
                    "BETWEEN lower bound \(l.sqlText) is greater than upper bound \(h.sqlText)", at: token.offset)
            }
        }
        let symbols = negated ? ("<", ">") : (">=", "<=")
        try self.checkOrderable(value, operator: symbols.0, at: token.offset)
        try self.checkOrderable(low, operator: symbols.0, at: token.offset)
        try self.checkOrderable(value, operator: symbols.1, at: token.offset)
        try self.checkOrderable(high, operator: symbols.1, at: token.offset)
        return try self.make(
            .between(value.expression, low: low.expression, high: high.expression, negated: negated),
            at: value.offset, children: [value, low, high])
    }

    /// IN: the left side must be a property.
    func makeIn(_ left: Parsed, _ items: [String], negated: Bool, operator token: SQL92Token) throws(FilterError)
        -> Parsed
    {
        guard case .property(let name) = left.expression else {
            throw self.invalid("IN needs a property on its left, got \(left.expression)", at: left.offset)
        }
        return try self.make(
            .inList(property: name, SQL92Expression.InSet(items), negated: negated), at: left.offset, children: [left])
    }

    /// DECIMAL_LITERAL: `Integer` if it fits 32 bits, else `Long`; beyond `Long` is an error.
    func decimal(_ token: SQL92Token) throws(FilterError) -> SQL92Value {
        var digits = Substring(token.text)
        if let last = digits.last, last == "l" || last == "L" { digits.removeLast() }
        guard let value = Int64(digits) else {
            throw self.invalid("integer literal \(token.text) is out of the Long range", at: token.offset)
        }
        if let small = Int32(exactly: value) { return .int(small) }
        return .long(value)
    }

    /// FLOATING_POINT_LITERAL: a `Double`; Java rejects values above `Double.MAX_VALUE` (infinite) and, a quirk
    /// kept for compatibility, below `Double.MIN_VALUE` — which includes `0.0`.
    func float(_ token: SQL92Token) throws(FilterError) -> SQL92Value {
        guard let value = Double(token.text) else {
            throw self.invalid("float literal \(token.text) cannot be read", at: token.offset)
        }
        if value > Double.greatestFiniteMagnitude {
            throw self.invalid("float literal \(token.text) is greater than 1.7976931348623157E308", at: token.offset)
        }
        if value < Double.leastNonzeroMagnitude {
            throw self.invalid("float literal \(token.text) is less than 4.9E-324", at: token.offset)
        }
        return .double(value)
    }
}
