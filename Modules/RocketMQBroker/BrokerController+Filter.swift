//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQFilter
import RocketMQRemoting

extension BrokerController {
    /// Builds the store filter for a subscription (compiled once per subscription version), or the
    /// refusal upstream gives: SQL92 while `enablePropertyFilter=false`, an unknown expression type, or an
    /// expression that does not parse (SUBSCRIPTION_PARSE_FAILED naming the position).
    func messageFilter(for subscription: SubscriptionData) -> Result<ExpressionMessageFilter, RemotingRefusal> {
        if ExpressionType.isTagType(subscription.expressionType) { return .success(.tag(subscription)) }
        let type = ExpressionType.normalized(subscription.expressionType)
        if type == ExpressionType.sql92 && !config.enablePropertyFilter {
            return .failure(RemotingRefusal(.systemError, "The broker does not support consumer to filter message by SQL92"))
        }
        guard filterRegistry.factory(for: type) != nil else {
            return .failure(RemotingRefusal(.subscriptionParseFailed,
                                            "The broker does not support consumer to filter message by \(subscription.expressionType)"))
        }
        let compiled: any CompiledFilter
        do {
            compiled = try filterCache.filter(for: subscription)
        } catch {
            return .failure(RemotingRefusal(.subscriptionParseFailed, error.description))
        }
        let cqMatch: @Sendable (Int64) -> Bool = { code in compiled.matches(tagsCode: code) }
        var propsMatch: (@Sendable ([String: String]) -> Bool)? = nil
        if compiled.needsProperties { propsMatch = { props in compiled.matches(properties: props) } }
        return .success(ExpressionMessageFilter(consumeQueueMatch: cqMatch, propertiesMatch: propsMatch))
    }
}
