//===----------------------------------------------------------------------===//
import RocketMQCommon
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Why a filter expression could not be compiled or a filter could not be registered.
///
/// Third-party filter factories throw this type from ``MessageFilterFactory/compile(_:)``, so it is an
/// extensible struct with a ``Code`` (swift-nio's `NIOSSHError` shape) rather than a closed enum: new codes
/// can be added without breaking plugins that switch over the existing ones.
///
/// The broker turns a compile failure into a `SUBSCRIPTION_PARSE_FAILED` response; the ``description`` is
/// meant for that remark and for logs, so it never contains message bodies, only the expression's position.
public struct FilterError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case lexical, syntax, invalidExpression, unsupportedExpressionType, duplicateExpressionType
            case invalidSubscription
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A character or token the expression language does not know (JavaCC `TokenMgrError`).
        public static let lexical = Code(.lexical)
        /// A token in the wrong place (JavaCC `ParseException`); ``FilterError/expected`` lists what would fit.
        public static let syntax = Code(.syntax)
        /// Well-formed but rejected by a parse-time check (operand types, literal ranges, BETWEEN bounds).
        public static let invalidExpression = Code(.invalidExpression)
        /// No factory is registered for the subscription's expression type.
        public static let unsupportedExpressionType = Code(.unsupportedExpressionType)
        /// A second factory tried to claim an expression type that is already registered.
        public static let duplicateExpressionType = Code(.duplicateExpressionType)
        /// A subscription body (JSON) that cannot be read at all.
        public static let invalidSubscription = Code(.invalidSubscription)

        public var description: String {
            switch self.base {
            case .lexical: return "lexical error"
            case .syntax: return "syntax error"
            case .invalidExpression: return "invalid expression"
            case .unsupportedExpressionType: return "unsupported expression type"
            case .duplicateExpressionType: return "duplicate expression type"
            case .invalidSubscription: return "invalid subscription"
            }
        }
    }

    /// Where in the expression the problem was found.
    ///
    /// Offsets and columns count Unicode scalars (Java's JavaCC counts UTF-16 units and expands tabs, so
    /// columns can differ from a Java broker's message for non-BMP text or tabs).
    public struct Position: Hashable, Sendable, CustomStringConvertible {
        /// 0-based scalar offset from the start of the expression.
        public var offset: Int
        /// 1-based line (`\n`, `\r` and `\r\n` end a line).
        public var line: Int
        /// 1-based column within ``line``.
        public var column: Int

        public init(offset: Int, line: Int, column: Int) {
            self.offset = offset
            self.line = line
            self.column = column
        }

        public var description: String { "line \(self.line), column \(self.column)" }
    }

    public var code: Code
    /// The expression type being compiled (`SQL92`, `TAG`, a plugin's type), when known.
    public var expressionType: String?
    public var position: Position?
    /// Human-readable detail, e.g. `found "AND"`.
    public var reason: String
    /// For syntax errors: what the parser would have accepted at ``position``, in display form.
    public var expected: [String]

    public init(
        code: Code, expressionType: String? = nil, position: Position? = nil, reason: String, expected: [String] = []
    ) {
        self.code = code
        self.expressionType = expressionType
        self.position = position
        self.reason = reason
        self.expected = expected
    }

    public var description: String {
        var text = ""
        if let type = self.expressionType { text += "\(type) " }
        text += self.code.description
        if let position = self.position { text += " at \(position)" }
        text += ": \(self.reason)"
        switch self.expected.count {
        case 0: break
        case 1: text += "; expected \(self.expected[0])"
        default: text += "; expected one of: " + self.expected.joined(separator: ", ")
        }
        return text
    }
}
