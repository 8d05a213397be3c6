//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting

extension BrokerController {
    /// Builds the store filter for a subscription, or the refusal upstream gives.
    func messageFilter(for subscription: SubscriptionData) -> Result<ExpressionMessageFilter, RemotingRefusal> {
        if ExpressionType.isTagType(subscription.expressionType) { return .success(.tag(subscription)) }
        if subscription.expressionType.uppercased() == ExpressionType.sql92 && !config.enablePropertyFilter {
            return .failure(RemotingRefusal(.systemError, "The broker does not support consumer to filter message by SQL92"))
        }
        return .failure(RemotingRefusal(.subscriptionParseFailed,
                                        "The broker does not support consumer to filter message by \(subscription.expressionType)"))
    }
}
