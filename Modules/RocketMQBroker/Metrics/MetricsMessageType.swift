//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// The `message_type` label of incoming messages (upstream `TopicMessageType.getMetricsValue()`), decided
/// from the send's properties as upstream's `BrokerMetricsManager.getMessageType` does: transaction flag,
/// then sharding key (FIFO), then any delay/timer property.
enum MetricsMessageType: Int, CaseIterable, Sendable {
    case normal, fifo, delay, transaction

    var label: String {
        switch self {
        case .normal: return "normal"
        case .fifo: return "fifo"
        case .delay: return "delay"
        case .transaction: return "transaction"
        }
    }

    init(properties: [String: String]) {
        if properties[MessageConst.transactionPrepared] == "true" {
            self = .transaction
        } else if properties["__SHARDINGKEY"] != nil {
            self = .fifo
        } else if properties["__STARTDELIVERTIME"] != nil || properties[MessageConst.delayTimeLevel] != nil
            || properties[MessageConst.timerDeliverMS] != nil || properties[MessageConst.timerDelaySec] != nil
            || properties[MessageConst.timerDelayMS] != nil
        {
            self = .delay
        } else {
            self = .normal
        }
    }
}
