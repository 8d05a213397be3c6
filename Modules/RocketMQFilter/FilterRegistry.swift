//===----------------------------------------------------------------------===//
import RocketMQCommon
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// The filter languages a broker understands, by expression type.
///
/// A value, not a global (unlike Java's `FilterFactory.INSTANCE`): the broker fills one while plugins load
/// (`extensions.filters.register(MyFactory())`), then keeps it as a `let`, so lookups need no lock. `TAG` and
/// `SQL92` are bundled unless `bundled` is false. Type names are matched case-insensitively and an empty type
/// means `TAG`, as an absent `expressionType` does on the wire.
public struct FilterRegistry: Sendable {
    private var factories: [String: any MessageFilterFactory] = [:]
    /// Registration order, for deterministic listings.
    private var order: [String] = []

    /// The bundled factories (the swift-nio-ssh `bundledTransportProtectionSchemes` idea).
    public static var bundledFactories: [any MessageFilterFactory] { [TagFilterFactory(), SQL92FilterFactory()] }

    public init(bundled: Bool = true) {
        guard bundled else { return }
        for factory in Self.bundledFactories {
            let key = ExpressionType.normalized(factory.expressionType)
            self.factories[key] = factory
            self.order.append(key)
        }
    }

    /// Adds a filter language.
    ///
    /// - Throws: ``FilterError/Code-swift.struct/duplicateExpressionType`` if a factory already serves this type
    ///   (compared case-insensitively), so two plugins cannot silently fight over a type.
    public mutating func register(_ factory: any MessageFilterFactory) throws(FilterError) {
        let key = ExpressionType.normalized(factory.expressionType)
        guard self.factories[key] == nil else {
            throw FilterError(
                code: .duplicateExpressionType, expressionType: factory.expressionType,
                reason: "a filter for expression type \"\(factory.expressionType)\" is already registered")
        }
        self.factories[key] = factory
        self.order.append(key)
    }

    /// The factory for `type`, if any (case-insensitive; empty means `TAG`).
    public func factory(for type: String) -> (any MessageFilterFactory)? {
        self.factories[ExpressionType.normalized(type)]
    }

    /// The registered expression types, in registration order (normalised to upper case).
    public var expressionTypes: [String] { self.order }

    /// Compiles `expression` with the factory for `type`.
    ///
    /// - Throws: ``FilterError/Code-swift.struct/unsupportedExpressionType`` when no factory serves `type`, or
    ///   the factory's own compile error.
    public func compile(type: String, expression: String) throws(FilterError) -> any CompiledFilter {
        guard let factory = self.factory(for: type) else {
            throw FilterError(
                code: .unsupportedExpressionType, expressionType: type,
                reason: "no filter is registered for expression type \"\(type)\"")
        }
        return try factory.compile(expression)
    }
}
