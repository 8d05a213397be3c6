//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// The `message_type` label of incoming messages (upstream `TopicMessageType.getMetricsValue()`), decided
/// as upstream's `BrokerMetricsManager.getMessageType` does: transaction flag, then sharding key (FIFO),
/// then any delay/timer property.
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

    /// - Parameters:
    ///   - transaction: the send is a half message (TRAN_MSG / sysFlag, already worked out by the send path).
    ///   - properties: the send's properties, scanned once: a hash lookup per candidate key would cost
    ///     seven string hashes per message, far more than comparing the few keys a message carries.
    init(transaction: Bool, properties: [String: String]) {
        if transaction {
            self = .transaction
            return
        }
        var type = MetricsMessageType.normal
        for key in properties.keys {
            switch key {
            case "__SHARDINGKEY": self = .fifo; return
            case MessageConst.delayTimeLevel, "__STARTDELIVERTIME", MessageConst.timerDeliverMS,
                MessageConst.timerDelaySec, MessageConst.timerDelayMS:
                type = .delay
            default: break
            }
        }
        self = type
    }
}
