//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// A compiled SQL92 selector (Java `SqlFilter` + `SelectorParser`), ready to evaluate against messages.
///
/// It decides nothing on the consume queue (tags codes say nothing about properties) and delivers a message
/// only when the selector evaluates to TRUE on its properties; FALSE, unknown (NULL) and evaluation errors
/// all mean "not delivered", as in Java's `ExpressionMessageFilter.isMatchedByCommitLog`.
public struct SQL92Filter: CompiledFilter, CustomStringConvertible {
    /// The selector as written by the client.
    public let text: String
    let expression: SQL92Expression
    let program: SQL92Program

    /// Compiles `text`.
    ///
    /// - Throws: ``FilterError`` with the position and, for syntax errors, what was expected.
    public init(_ text: String) throws(FilterError) {
        self.text = text
        self.expression = try SQL92Parser.parse(text)
        self.program = SQL92Program(self.expression)
    }

    /// Consume-queue stage: always passes.
    public func matches(tagsCode: Int64?) -> Bool { true }

    public var needsProperties: Bool { true }

    public func matches(properties: [String: String]) -> Bool {
        self.program.matches(source: properties)
    }

    /// Delivers only on TRUE.
    public func matches(_ lookup: (String) -> String?) -> Bool {
        self.evaluate(lookup) == true
    }

    /// Three-valued result: `true`, `false`, or `nil` for unknown (NULL) and for evaluation errors.
    public func evaluate(_ lookup: (String) -> String?) -> Bool? {
        do {
            switch try self.program.evaluate(lookup) {
            case .bool(let b)?: return b
            default: return nil
            }
        } catch {
            return nil
        }
    }

    /// The reference (tree-walking) evaluator, for differential tests of ``SQL92Program``.
    func evaluateTree(_ lookup: (String) -> String?) -> Bool? {
        do {
            switch try self.expression.evaluate(lookup) {
            case .bool(let b)?: return b
            default: return nil
            }
        } catch {
            return nil
        }
    }

    /// The parsed tree, fully parenthesised (for logs and tests), e.g. `((age >= 20) AND (sex = '女'))`.
    public var description: String { self.expression.description }
}
