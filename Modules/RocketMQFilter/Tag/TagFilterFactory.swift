//===----------------------------------------------------------------------===//
import RocketMQCommon
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// The bundled `TAG` filter language: `TagA || TagB`, `*` or empty for everything.
public struct TagFilterFactory: MessageFilterFactory {
    public init() {}

    public var expressionType: String { ExpressionType.tag }

    public func compile(_ expression: String) throws(FilterError) -> any CompiledFilter {
        try TagFilter(expression: expression)
    }
}
