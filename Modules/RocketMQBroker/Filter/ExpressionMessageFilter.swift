//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQStore

/// Adapts a subscription's compiled filter to the store's two-stage `MessageFilter` (Java
/// `ExpressionMessageFilter`): the consume-queue tag code first, then message properties if needed.
struct ExpressionMessageFilter: MessageFilter {
    let consumeQueueMatch: @Sendable (Int64) -> Bool
    let propertiesMatch: (@Sendable ([String: String]) -> Bool)?

    func isMatchedByConsumeQueue(tagsCode: Int64) -> Bool { consumeQueueMatch(tagsCode) }

    func isMatchedByCommitLog(properties: () -> [String: String]) -> Bool {
        guard let propertiesMatch else { return true }
        return propertiesMatch(properties())
    }

    /// The tag filter: match when subscribing to all, or the tag code is in the code set. Hash
    /// collisions pass; clients re-check the tag string.
    static func tag(_ subscription: SubscriptionData) -> ExpressionMessageFilter {
        if subscription.isSubscribeAll || subscription.classFilterMode {
            return ExpressionMessageFilter(consumeQueueMatch: { _ in true }, propertiesMatch: nil)
        }
        let codes = Set(subscription.codeSet)
        return ExpressionMessageFilter(consumeQueueMatch: { codes.contains(Int32(truncatingIfNeeded: $0)) }, propertiesMatch: nil)
    }
}
