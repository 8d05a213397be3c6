//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQBroker
import RocketMQCommon
import RocketMQFilter

/// A user-written broker filter: expression type `KEY_PREFIX` delivers messages one of whose `KEYS`
/// starts with the expression, e.g. `subscribe("Orders", selector: .custom(type: "KEY_PREFIX", "eu-"))`.
///
/// This is the whole extension: a factory that compiles an expression into a two-stage matcher, and a
/// plugin that registers the factory with the broker it is loaded into.
public struct KeyPrefixFilterFactory: MessageFilterFactory {
    public let expressionType = "KEY_PREFIX"

    public init() {}

    public func compile(_ expression: String) throws(FilterError) -> any CompiledFilter {
        let prefix = expression.trimmingChars(" \t")
        guard !prefix.isEmpty else {
            throw FilterError(code: .invalidExpression, expressionType: expressionType, position: nil,
                              reason: "KEY_PREFIX needs a non-empty prefix", expected: ["a key prefix"])
        }
        return KeyPrefixFilter(prefix: prefix)
    }
}

/// Passes every consume-queue entry (tags say nothing about keys), then checks the `KEYS` property.
struct KeyPrefixFilter: CompiledFilter {
    let prefix: String
    func matches(tagsCode: Int64?) -> Bool { true }
    var needsProperties: Bool { true }
    func matches(properties: [String: String]) -> Bool {
        guard let keys = properties[MessageConst.keys] else { return false }
        return keys.split(separator: " ").contains { $0.hasPrefix(prefix) }
    }
}

/// Registers ``KeyPrefixFilterFactory``. Enable with `brokerPlugins=...,keyPrefixFilter`.
public struct KeyPrefixFilterPlugin: BrokerPlugin {
    public let name = "keyPrefixFilter"
    public init() {}
    public func load(into extensions: inout BrokerExtensions, context: BrokerPluginContext) throws {
        extensions.filterFactories.append(KeyPrefixFilterFactory())
    }
}
