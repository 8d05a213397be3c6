//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQBroker
import RocketMQCommon
import RocketMQStore

/// Delay-level scheduling (Java `ScheduleMessageService`), as a broker plugin.
///
/// A message with `DELAY=n` is parked in `SCHEDULE_TOPIC_XXXX` queue `n-1` with its real topic and queue
/// in properties; `ScheduleDeliveryService` re-puts it to the real topic when due. Progress per level is
/// persisted in `delayOffset.json`, so a restart resumes without loss and never delivers early.
public final class DelayLevelPlugin: BrokerPlugin, Sendable {
    public let name = "delayLevel"
    private let state = DelayPluginState()

    public init() {}

    public func load(into extensions: inout BrokerExtensions, context: BrokerPluginContext) throws {
        let levels = context.brokerConfig.store.delayLevelMillis
        guard !levels.isEmpty else {
            throw ConfigError(key: "messageDelayLevel", value: context.brokerConfig.store.messageDelayLevel, reason: "no delay levels")
        }
        let offsets = DelayOffsetTable(path: context.configDirectory + "/delayOffset.json", logger: context.logger)
        offsets.load()
        let service = ScheduleDeliveryService(levels: levels, offsets: offsets, context: context)
        state.set(service)
        extensions.putMessageHooks.append(DelayLevelHook(levels: levels))
        extensions.services.append(service)
        // Masters answer GET_ALL_DELAY_OFFSET; slaves copy the master's progress every 10 s.
        extensions.registerProcessor(DelayOffsetProcessor(offsets: offsets), for: .getAllDelayOffset)
        if context.brokerConfig.store.brokerRole == .slave {
            extensions.slaveSyncs.append(SlaveSync(name: "delay offsets", code: .getAllDelayOffset) { body in
                offsets.replace(withJSON: String(buffer: body))
            })
        }
        // Beyond 4.x: arbitrary delivery times, up to timerMaxDelaySec.
        let progress = TimerProgress(path: context.configDirectory + "/timerProgress.json", logger: context.logger)
        progress.load()
        let timer = TimerDeliveryService(progress: progress, context: context)
        state.setTimer(timer)
        extensions.putMessageHooks.append(TimerMessageHook(maxDelayMillis: context.brokerConfig.timerMaxDelaySec * 1000))
        extensions.services.append(timer)
    }

    public func shutdown() async {
        state.service?.persist()
        state.timer?.progress.persistIfDirty()
    }

    public func collectRuntimeInfo(into info: inout [String: String]) {
        guard let service = state.service else { return }
        info["scheduleMessageOffset"] = service.offsets.describe()
        if let timer = state.timer { info["timerPendingCount"] = String(timer.pendingCount) }
    }
}

/// Holds the service created in `load` for `shutdown` and runtime info.
final class DelayPluginState: Sendable {
    private let box = Mutex<(ScheduleDeliveryService?, TimerDeliveryService?)>((nil, nil))
    func set(_ s: ScheduleDeliveryService) { box.withLock { $0.0 = s } }
    func setTimer(_ t: TimerDeliveryService) { box.withLock { $0.1 = t } }
    var service: ScheduleDeliveryService? { box.withLock { $0.0 } }
    var timer: TimerDeliveryService? { box.withLock { $0.1 } }
}

import Synchronization

/// Moves a `DELAY` message into the schedule topic before it is stored.
struct DelayLevelHook: PutMessageHook {
    let levels: [Int64]
    var hookName: String { "delayLevel" }

    func executeBeforePutMessage(_ message: inout MessageExtBrokerInner) -> PutMessageResult? {
        let tx = MessageSysFlag.transactionValue(message.sysFlag)
        guard tx == MessageSysFlag.transactionNotType || tx == MessageSysFlag.transactionCommitType,
              message.topic != TopicValidator.rmqSysScheduleTopic
        else { return nil }
        // Most messages have no delay: look the key up before decoding everything.
        guard let raw = MessageProperties.value(of: MessageConst.delayTimeLevel, in: message.propertiesString),
              let requested = Int(raw), requested > 0
        else { return nil }
        var properties = message.properties
        let level = min(requested, levels.count)
        properties[MessageConst.delayTimeLevel] = String(level)
        properties[MessageConst.realTopic] = message.topic
        properties[MessageConst.realQueueID] = String(message.queueID)
        message.propertiesString = MessageProperties.encode(properties)
        message.topic = TopicValidator.rmqSysScheduleTopic
        message.queueID = Int32(level - 1)
        message.tagsCode = Clock.millis() + levels[level - 1]
        return nil
    }

    /// A batch member's delay level is ignored, as upstream does (a batch stays in its queue).
    func executeBeforePutBatchMember(_ message: inout MessageExtBrokerInner) -> PutMessageResult? { nil }
}
