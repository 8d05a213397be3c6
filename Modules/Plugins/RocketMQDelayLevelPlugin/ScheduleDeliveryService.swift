//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import RocketMQBroker
import RocketMQCommon
import RocketMQStore
import ServiceLifecycle

/// Delivers parked delay-level messages when due (Java `DeliverDelayedMessageTimerTask`).
///
/// One loop walks every level's queue from its persisted offset; a message is re-put to its real topic
/// only once `storeTimestamp + delay` has passed, and the offset advances only after the re-put
/// succeeded, so nothing is lost and nothing is delivered early. Runs on the master only.
final class ScheduleDeliveryService: Service, Sendable {
    let levels: [Int64]
    let offsets: DelayOffsetTable
    let context: BrokerPluginContext

    init(levels: [Int64], offsets: DelayOffsetTable, context: BrokerPluginContext) {
        self.levels = levels
        self.offsets = offsets
        self.context = context
    }

    func run() async throws {
        var sinceLastPersist = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            var delivered = 0
            if context.brokerConfig.store.brokerRole != .slave {
                for level in 1...levels.count { delivered += await deliver(level: level) }
            }
            sinceLastPersist += 1
            if delivered > 0 || sinceLastPersist >= 50 {
                persist()
                sinceLastPersist = 0
            }
            if delivered == 0 { try? await Task.sleep(nanoseconds: 50_000_000) }
        }
        persist()
    }

    func persist() { offsets.persist() }

    /// Delivers what is due in one level; returns how many.
    func deliver(level: Int) async -> Int {
        let store = context.store
        let queueID = Int32(level - 1)
        var offset = offsets.offset(level: level)
        let minOffset = store.minOffsetInQueue(topic: TopicValidator.rmqSysScheduleTopic, queueID: queueID)
        if offset < minOffset { offset = minOffset }
        var delivered = 0
        let now = Clock.millis()
        while true {
            let result = store.getMessage(group: "SCHEDULE", topic: TopicValidator.rmqSysScheduleTopic, queueID: queueID,
                                          offset: offset, maxMsgNums: 32)
            guard result.status == .found, !result.messages.isEmpty else { break }
            var advanced = false
            for slice in result.messages {
                var buffer = slice.byteBuffer
                guard let message = try? MessageDecoder.decodeOne(&buffer) else {
                    context.logger.error("schedule message at offset \(offset) is unreadable; skipped")
                    offset += 1
                    advanced = true
                    continue
                }
                let due = message.storeTimestamp + levels[level - 1]
                if due > now {
                    offsets.set(level: level, offset: offset)
                    return delivered
                }
                let put = await context.putMessage(realMessage(from: message))
                guard put.isOK || put.status == .flushDiskTimeout else {
                    context.logger.warning("delay delivery failed (\(put.status.rawValue)); will retry")
                    offsets.set(level: level, offset: offset)
                    return delivered
                }
                offset = message.queueOffset + 1
                delivered += 1
                advanced = true
            }
            offsets.set(level: level, offset: offset)
            if !advanced { break }
        }
        return delivered
    }

    /// The message as it goes back to its real topic: DELAY removed, REAL_TOPIC/REAL_QID kept, WAIT=false.
    func realMessage(from m: MessageExt) -> MessageExtBrokerInner {
        var properties = m.properties
        properties.removeValue(forKey: MessageConst.delayTimeLevel)
        properties[MessageConst.waitStoreMsgOK] = "false"
        let topic = properties[MessageConst.realTopic] ?? m.topic
        let queueID = properties[MessageConst.realQueueID].flatMap(Int32.init) ?? 0
        return MessageExtBrokerInner(
            topic: topic, queueID: queueID, flag: m.flag, body: ByteBuffer(bytes: m.body),
            propertiesString: MessageProperties.encode(properties),
            tagsCode: MessageExtBrokerInner.tagsString2tagsCode(properties[MessageConst.tags]), sysFlag: m.sysFlag,
            bornTimestamp: m.bornTimestamp, bornHost: m.bornHost, storeHost: context.storeHost,
            reconsumeTimes: m.reconsumeTimes)
    }
}
