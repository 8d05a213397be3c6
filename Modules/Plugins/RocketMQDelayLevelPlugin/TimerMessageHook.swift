//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQBroker
import RocketMQCommon
import RocketMQStore

/// Parks messages with a 5.x delivery time (`TIMER_DELIVER_MS`, `TIMER_DELAY_SEC` or `TIMER_DELAY_MS`) in
/// the timer topic until due; refuses delays beyond `timerMaxDelaySec`.
struct TimerMessageHook: PutMessageHook {
    static let timerTopic = "rmq_sys_wheel_timer"
    let maxDelayMillis: Int64
    var hookName: String { "timer" }

    /// The absolute delivery time a message asks for, if any.
    static func deliverAt(_ properties: [String: String], now: Int64) -> Int64? {
        if let at = properties[MessageConst.timerDeliverMS].flatMap(Int64.init) { return at }
        if let s = properties[MessageConst.timerDelaySec].flatMap(Int64.init) { return now + s * 1000 }
        if let ms = properties[MessageConst.timerDelayMS].flatMap(Int64.init) { return now + ms }
        return nil
    }

    func executeBeforePutMessage(_ message: inout MessageExtBrokerInner) -> PutMessageResult? {
        let tx = MessageSysFlag.transactionValue(message.sysFlag)
        guard tx == MessageSysFlag.transactionNotType || tx == MessageSysFlag.transactionCommitType,
              message.topic != Self.timerTopic
        else { return nil }
        // Most messages have no delivery time: check the three keys before decoding everything.
        let raw = message.propertiesString
        guard raw.utf8.contains(0x01),
              MessageProperties.value(of: MessageConst.timerDeliverMS, in: raw) != nil
                || MessageProperties.value(of: MessageConst.timerDelaySec, in: raw) != nil
                || MessageProperties.value(of: MessageConst.timerDelayMS, in: raw) != nil
        else { return nil }
        var properties = message.properties
        let now = Clock.millis()
        guard let at = Self.deliverAt(properties, now: now) else { return nil }
        if at - now > maxDelayMillis {
            return PutMessageResult(status: .messageIllegal,
                                    remark: "delivery time is \(at - now) ms away; the maximum is \(maxDelayMillis) ms (timerMaxDelaySec)")
        }
        properties.removeValue(forKey: MessageConst.timerDelaySec)
        properties.removeValue(forKey: MessageConst.timerDelayMS)
        if at <= now {
            properties.removeValue(forKey: MessageConst.timerDeliverMS)
            message.propertiesString = MessageProperties.encode(properties)
            return nil
        }
        properties[MessageConst.timerDeliverMS] = String(at)
        properties[MessageConst.realTopic] = message.topic
        properties[MessageConst.realQueueID] = String(message.queueID)
        message.propertiesString = MessageProperties.encode(properties)
        message.topic = Self.timerTopic
        message.queueID = 0
        return nil
    }

    /// A batch member's delivery time is ignored, as upstream does (a batch stays in its queue).
    func executeBeforePutBatchMember(_ message: inout MessageExtBrokerInner) -> PutMessageResult? { nil }
}
