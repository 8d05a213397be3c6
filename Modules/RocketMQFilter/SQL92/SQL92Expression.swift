//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// A compiled SQL92 selector: an immutable tree evaluated against a message's properties.
///
/// The cases mirror Java's expression classes (ConstantExpression, PropertyExpression, ComparisonExpression,
/// LogicExpression, UnaryExpression, UnaryInExpression) after the parse-time rewrites Java performs: `<>` is
/// `NOT (=)`, `IS NOT NULL` is `NOT (IS NULL)`, a property used as a condition is a boolean cast. Chains of
/// `AND`/`OR` are flattened into one n-ary node; with Java's short-circuit rules (stop at the first FALSE for
/// AND / TRUE for OR, otherwise unknown if any side was unknown) that is exactly the left-nested binary form,
/// and it keeps evaluation depth independent of the number of clauses.
///
/// Evaluation (``evaluate(_:)``) lives in `SQL92Evaluator.swift`; it allocates nothing.
indirect enum SQL92Expression: Sendable {
    /// A literal; `nil` is `NULL`.
    case constant(SQL92Value?)
    /// A message property, by the name as written.
    case property(String)
    /// Unary minus (Java `createNegate`): numbers negate, anything else is unknown.
    case negate(SQL92Expression)
    /// A property used where a condition is needed: only a Boolean value is TRUE, so a string property is FALSE.
    case booleanCast(String)
    case not(SQL92Expression)
    case and([SQL92Expression])
    case or([SQL92Expression])
    case equal(SQL92Expression, SQL92Expression)
    case isNull(SQL92Expression)
    case compare(Comparison, SQL92Expression, SQL92Expression)
    /// `BETWEEN low AND high` (`>= low AND <= high`) or, negated, `< low OR > high`.
    case between(SQL92Expression, low: SQL92Expression, high: SQL92Expression, negated: Bool)
    case inList(property: String, InSet, negated: Bool)
    case stringMatch(StringMatch, SQL92Expression, search: String, negated: Bool)

    enum Comparison: Sendable {
        case greater, greaterEqual, less, lessEqual

        @inline(__always)
        func holds(_ sign: Int) -> Bool {
            switch self {
            case .greater: return sign > 0
            case .greaterEqual: return sign >= 0
            case .less: return sign < 0
            case .lessEqual: return sign <= 0
            }
        }

        var symbol: String {
            switch self {
            case .greater: return ">"
            case .greaterEqual: return ">="
            case .less: return "<"
            case .lessEqual: return "<="
            }
        }
    }

    enum StringMatch: Sendable {
        case contains, startsWith, endsWith

        var keyword: String {
            switch self {
            case .contains: return "CONTAINS"
            case .startsWith: return "STARTSWITH"
            case .endsWith: return "ENDSWITH"
            }
        }
    }

    /// The strings of an `IN (...)` list, compared exactly (Java `String.equals`).
    struct InSet: Sendable {
        let items: [String]
        /// Only built for longer lists; short ones are scanned (Java switches to a HashSet at 5 items too).
        private let set: Set<ExactString>?

        init(_ items: [String]) {
            self.items = items
            self.set = items.count >= 5 ? Set(items.map(ExactString.init)) : nil
        }

        @inline(__always)
        func contains(_ value: String) -> Bool {
            if let set = self.set { return set.contains(ExactString(value)) }
            for item in self.items where exactlyEqual(item, value) { return true }
            return false
        }
    }

    /// Whether Java would treat this as a `BooleanExpression` (TRUE/FALSE/NULL literals count).
    var isBoolean: Bool {
        switch self {
        case .constant(let value):
            if case .bool = value { return true }
            return value == nil
        case .property, .negate: return false
        case .booleanCast, .not, .and, .or, .equal, .isNull, .compare, .between, .inList, .stringMatch: return true
        }
    }
}

extension SQL92Expression: CustomStringConvertible {
    /// A fully parenthesised rendering, for error messages and tests (close to Java's `toString`).
    var description: String {
        switch self {
        case .constant(let value): return value?.sqlText ?? "NULL"
        case .property(let name), .booleanCast(let name): return name
        case .negate(let operand): return "(- \(operand))"
        case .not(let operand): return "(NOT \(operand))"
        case .and(let operands): return "(" + operands.map(\.description).joined(separator: " AND ") + ")"
        case .or(let operands): return "(" + operands.map(\.description).joined(separator: " OR ") + ")"
        case .equal(let l, let r): return "(\(l) = \(r))"
        case .isNull(let operand): return "(\(operand) IS NULL)"
        case .compare(let op, let l, let r): return "(\(l) \(op.symbol) \(r))"
        case .between(let value, let low, let high, let negated):
            return "(\(value) \(negated ? "NOT BETWEEN" : "BETWEEN") \(low) AND \(high))"
        case .inList(let name, let set, let negated):
            let items = set.items.map { SQL92Value.string($0).sqlText }.joined(separator: ", ")
            return "(\(name) \(negated ? "NOT IN" : "IN") (\(items)))"
        case .stringMatch(let kind, let operand, let search, let negated):
            return "(\(operand) \(negated ? "NOT " : "")\(kind.keyword) \(SQL92Value.string(search).sqlText))"
        }
    }
}
