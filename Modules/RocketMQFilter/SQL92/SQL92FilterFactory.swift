//===----------------------------------------------------------------------===//
import RocketMQCommon
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// The bundled `SQL92` filter language (§9.2 of PROTOCOL.md).
///
/// Whether a broker accepts SQL92 subscriptions at all (`enablePropertyFilter`) is the broker's decision; this
/// factory only compiles.
public struct SQL92FilterFactory: MessageFilterFactory {
    public init() {}

    public var expressionType: String { ExpressionType.sql92 }

    public func compile(_ expression: String) throws(FilterError) -> any CompiledFilter {
        try SQL92Filter(expression)
    }
}
