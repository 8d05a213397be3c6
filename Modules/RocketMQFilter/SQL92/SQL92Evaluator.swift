//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Reference evaluation of a parsed selector, with Java's semantics (§9.2 of PROTOCOL.md).
///
/// This walks the tree and states the rules most directly; the broker evaluates the flattened
/// ``SQL92Program`` instead (the tree walk pays a retain/release per node), and tests check that both agree.
///
/// - Results are `TRUE`, `FALSE` or `nil` (unknown); only `TRUE` delivers.
/// - Where Java throws during evaluation (a property that does not parse as the literal's type, two strings
///   ordered with `>`…), this throws ``SQL92EvaluationError``; the error propagates through `AND`/`OR`/`NOT`
///   unless a short-circuit skipped the failing side, exactly like Java's exception, and the caller treats it
///   as "not delivered".
/// - Operands are evaluated in Java's order, which decides "error" versus "unknown" when both could apply.
///
extension SQL92Expression {
    func evaluate(_ lookup: (String) -> String?) throws(SQL92EvaluationError) -> SQL92Value? {
        switch self {
        case .constant(let value):
            return value

        case .property(let name):
            guard let text = lookup(name) else { return nil }
            return .string(text)

        case .booleanCast(let name):
            // Property values are strings, never Booleans: present means FALSE.
            return lookup(name) == nil ? nil : .bool(false)

        case .negate(let operand):
            switch try operand.evaluate(lookup) {
            case .int(let v)?: return .int(0 &- v)
            case .long(let v)?: return .long(0 &- v)
            case .double(let v)?: return .double(-v)
            default: return nil
            }

        case .not(let operand):
            guard let value = try operand.evaluateCondition(lookup) else { return nil }
            return .bool(!value)

        case .and(let operands):
            var unknown = false
            for operand in operands {
                switch try operand.evaluateCondition(lookup) {
                case false?: return .bool(false)
                case nil: unknown = true
                case true?: break
                }
            }
            return unknown ? nil : .bool(true)

        case .or(let operands):
            var unknown = false
            for operand in operands {
                switch try operand.evaluateCondition(lookup) {
                case true?: return .bool(true)
                case nil: unknown = true
                case false?: break
                }
            }
            return unknown ? nil : .bool(false)

        case .equal(let left, let right):
            // Java evaluates both sides first; left-only null is unknown, right-only null is FALSE.
            let l = try left.evaluate(lookup)
            let r = try right.evaluate(lookup)
            switch (l, r) {
            case (nil, nil): return .bool(true)
            case (nil, _): return nil
            case (_, nil): return .bool(false)
            case (let a?, let b?): return .bool(try SQL92Value.javaEquals(a, b))
            }

        case .isNull(let operand):
            return .bool(try operand.evaluate(lookup) == nil)

        case .compare(let op, let left, let right):
            return try Self.order(op, left, right, lookup).map(SQL92Value.bool)

        case .between(let value, let low, let high, let negated):
            guard let v = try value.evaluate(lookup) else { return nil }
            if negated {
                // (v < low) OR (v > high)
                let first = try Self.order(.less, v, low, lookup)
                if first == true { return .bool(true) }
                let second = try Self.order(.greater, v, high, lookup)
                if second == true { return .bool(true) }
                return first == nil || second == nil ? nil : .bool(false)
            }
            // (v >= low) AND (v <= high)
            let first = try Self.order(.greaterEqual, v, low, lookup)
            if first == false { return .bool(false) }
            let second = try Self.order(.lessEqual, v, high, lookup)
            if second == false { return .bool(false) }
            return first == nil || second == nil ? nil : .bool(true)

        case .inList(let name, let set, let negated):
            guard let text = lookup(name) else { return nil }
            return .bool(set.contains(text) != negated)

        case .stringMatch(let kind, let operand, let search, let negated):
            if search.isEmpty { return .bool(false) }
            guard case .string(let text)? = try operand.evaluate(lookup) else { return .bool(false) }
            let found: Bool
            switch kind {
            case .contains: found = UTF8Search.contains(text, search)
            case .startsWith: found = UTF8Search.hasPrefix(text, search)
            case .endsWith: found = UTF8Search.hasSuffix(text, search)
            }
            return .bool(found != negated)
        }
    }

    /// Evaluates an operand Java casts to `Boolean` (operands of NOT/AND/OR): `nil` is unknown.
    @inline(__always)
    func evaluateCondition(_ lookup: (String) -> String?) throws(SQL92EvaluationError) -> Bool? {
        switch try self.evaluate(lookup) {
        case nil: return nil
        case .bool(let b)?: return b
        default: throw SQL92EvaluationError()  // Java: ClassCastException
        }
    }

    /// Java's ordering comparison: left evaluated first, unknown if either side is null.
    @inline(__always)
    static func order(
        _ op: Comparison, _ left: SQL92Expression, _ right: SQL92Expression, _ lookup: (String) -> String?
    ) throws(SQL92EvaluationError) -> Bool? {
        guard let l = try left.evaluate(lookup) else { return nil }
        return try order(op, l, right, lookup)
    }

    @inline(__always)
    static func order(
        _ op: Comparison, _ l: SQL92Value, _ right: SQL92Expression, _ lookup: (String) -> String?
    ) throws(SQL92EvaluationError) -> Bool? {
        guard let r = try right.evaluate(lookup) else { return nil }
        return op.holds(try SQL92Value.orderingCompare(l, r))
    }
}
