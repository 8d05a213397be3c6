//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// A non-null value during SQL92 evaluation: the Java boxed types the selector can produce.
///
/// `NULL` ("unknown") is `Optional.none` around this type. Integer and long are kept apart because the
/// literal's type decides how a string property is parsed (`a > 3` parses `a` as a Java `int`).
enum SQL92Value: Hashable, Sendable {
    case bool(Bool)
    case int(Int32)
    case long(Int64)
    case double(Double)
    case string(String)

    /// Selector spelling, used in error messages (Java `ConstantExpression.toString`).
    var sqlText: String {
        switch self {
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .int(let v): return String(v)
        case .long(let v): return String(v)
        case .double(let v): return JavaNumbers.doubleText(v)
        case .string(let s): return "'" + s.replacingQuotes() + "'"
        }
    }

    var isNumber: Bool {
        switch self {
        case .int, .long, .double: return true
        case .bool, .string: return false
        }
    }

    static func == (lhs: SQL92Value, rhs: SQL92Value) -> Bool {
        switch (lhs, rhs) {
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.long(let a), .long(let b)): return a == b
        case (.double(let a), .double(let b)): return a.bitPattern == b.bitPattern
        case (.string(let a), .string(let b)): return exactlyEqual(a, b)
        default: return false
        }
    }

    func hash(into hasher: inout Hasher) {
        switch self {
        case .bool(let b): hasher.combine(0); hasher.combine(b)
        case .int(let v): hasher.combine(1); hasher.combine(v)
        case .long(let v): hasher.combine(2); hasher.combine(v)
        case .double(let v): hasher.combine(3); hasher.combine(v.bitPattern)
        case .string(let s): hasher.combine(4); hasher.combine(ExactString(s))
        }
    }
}

/// Raised inside evaluation where Java throws (a string that does not parse as the literal's number type,
/// a string compared with `>` that is not a number, a boolean compared with a string). It never escapes
/// the module: the message is simply not delivered.
struct SQL92EvaluationError: Error {}

extension SQL92Value {
    /// Java `ComparisonExpression.__compare` with string conversion on: the sign of `lhs` vs `rhs`.
    ///
    /// Same types compare naturally (`Double.compare` order for doubles, UTF-16 order for strings). Mixed
    /// numbers widen int → long → double. A string meeting a number is parsed as that number's Java type; a
    /// string meeting a boolean uses `Boolean.valueOf`. A boolean on the left of a string fails (Java's
    /// `ClassCastException`), and a boolean against a number is simply "less" (-1), as in Java.
    @inline(__always)
    static func compare(_ lhs: SQL92Value, _ rhs: SQL92Value) throws(SQL92EvaluationError) -> Int {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.long(let a), .long(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.double(let a), .double(let b)): return JavaNumbers.compare(a, b)
        case (.string(let a), .string(let b)): return JavaNumbers.compare(a, b)
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)

        case (.int(let a), .long(let b)): return Int64(a) < b ? -1 : (Int64(a) == b ? 0 : 1)
        case (.int(let a), .double(let b)): return JavaNumbers.compare(Double(a), b)
        case (.long(let a), .int(let b)): return a < Int64(b) ? -1 : (a == Int64(b) ? 0 : 1)
        case (.long(let a), .double(let b)): return JavaNumbers.compare(Double(a), b)
        case (.double(let a), .int(let b)): return JavaNumbers.compare(a, Double(b))
        case (.double(let a), .long(let b)): return JavaNumbers.compare(a, Double(b))

        case (.int(let a), .string(let s)):
            guard let b = JavaNumbers.parseInt(s) else { throw SQL92EvaluationError() }
            return a < b ? -1 : (a == b ? 0 : 1)
        case (.long(let a), .string(let s)):
            guard let b = JavaNumbers.parseLong(s) else { throw SQL92EvaluationError() }
            return a < b ? -1 : (a == b ? 0 : 1)
        case (.double(let a), .string(let s)):
            guard let b = JavaNumbers.parseDouble(s) else { throw SQL92EvaluationError() }
            return JavaNumbers.compare(a, b)
        case (.string(let s), .int(let b)):
            guard let a = JavaNumbers.parseInt(s) else { throw SQL92EvaluationError() }
            return a < b ? -1 : (a == b ? 0 : 1)
        case (.string(let s), .long(let b)):
            guard let a = JavaNumbers.parseLong(s) else { throw SQL92EvaluationError() }
            return a < b ? -1 : (a == b ? 0 : 1)
        case (.string(let s), .double(let b)):
            guard let a = JavaNumbers.parseDouble(s) else { throw SQL92EvaluationError() }
            return JavaNumbers.compare(a, b)
        case (.string(let s), .bool(let b)):
            let a = JavaNumbers.parseBoolean(s)
            return a == b ? 0 : (a ? 1 : -1)

        case (.bool, .string): throw SQL92EvaluationError()
        case (.bool, _), (_, .bool): return -1
        }
    }

    /// Java `=`'s non-null case: `equals`, else `compareTo == 0` (with the conversions of ``compare(_:_:)``).
    @inline(__always)
    static func javaEquals(_ lhs: SQL92Value, _ rhs: SQL92Value) throws(SQL92EvaluationError) -> Bool {
        if case .string(let a) = lhs, case .string(let b) = rhs { return exactlyEqual(a, b) }
        return try compare(lhs, rhs) == 0
    }

    /// Java's `>`/`>=`/`<`/`<=` on non-null values: two strings must both parse as doubles.
    @inline(__always)
    static func orderingCompare(_ lhs: SQL92Value, _ rhs: SQL92Value) throws(SQL92EvaluationError) -> Int {
        if case .string(let a) = lhs, case .string(let b) = rhs {
            guard let x = JavaNumbers.parseDouble(a), let y = JavaNumbers.parseDouble(b) else {
                throw SQL92EvaluationError()
            }
            return JavaNumbers.compare(x, y)
        }
        return try compare(lhs, rhs)
    }
}
