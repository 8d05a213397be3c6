//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import RocketMQBroker
import RocketMQCommon
import RocketMQStore
import ServiceLifecycle
import Synchronization

/// Delivers timer messages at their time. Parked messages are read from the timer queue into a priority
/// queue ordered by delivery time; on start the queue is rebuilt from the persisted progress, so a restart
/// loses nothing, and since every delivery checks the time first, none is early.
final class TimerDeliveryService: Service, Sendable {
    struct Entry: Comparable {
        let deliverAt: Int64
        let queueOffset: Int64
        static func < (a: Entry, b: Entry) -> Bool { (a.deliverAt, a.queueOffset) < (b.deliverAt, b.queueOffset) }
    }

    let progress: TimerProgress
    let context: BrokerPluginContext
    private let pending = Mutex<(heap: [Entry], ingested: Int64)>(([], 0))

    init(progress: TimerProgress, context: BrokerPluginContext) {
        self.progress = progress
        self.context = context
    }

    var pendingCount: Int { pending.withLock { $0.heap.count } }

    func run() async throws {
        pending.withLock { $0.ingested = progress.watermark }
        var idleLoops = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            ingest()
            let delivered = context.brokerConfig.store.brokerRole == .slave ? 0 : await deliverDue()
            idleLoops += 1
            if delivered > 0 || idleLoops >= 20 {
                progress.persistIfDirty()
                idleLoops = 0
            }
            if delivered == 0 { try? await Task.sleep(nanoseconds: 50_000_000) }
        }
        progress.persistIfDirty()
    }

    /// Reads newly parked timer messages into the priority queue.
    func ingest() {
        let store = context.store
        var offset = pending.withLock { $0.ingested }
        let minOffset = store.minOffsetInQueue(topic: TimerMessageHook.timerTopic, queueID: 0)
        if offset < minOffset {
            progress.advanceWatermark(to: minOffset)
            offset = minOffset
        }
        var fresh: [Entry] = []
        while true {
            let result = store.getMessage(group: "TIMER", topic: TimerMessageHook.timerTopic, queueID: 0, offset: offset, maxMsgNums: 32)
            guard result.status == .found, !result.messages.isEmpty else { break }
            for slice in result.messages {
                var buffer = slice.byteBuffer
                guard let m = try? MessageDecoder.decodeOne(&buffer, readBody: false) else { continue }
                if !progress.isDelivered(m.queueOffset) {
                    let at = m.properties[MessageConst.timerDeliverMS].flatMap(Int64.init) ?? m.storeTimestamp
                    fresh.append(Entry(deliverAt: at, queueOffset: m.queueOffset))
                }
            }
            offset = result.nextBeginOffset
        }
        guard !fresh.isEmpty || offset != pending.withLock({ $0.ingested }) else { return }
        pending.withLock { p in
            p.ingested = offset
            for e in fresh { Self.push(e, into: &p.heap) }
        }
    }

    /// Delivers every entry due now; returns how many.
    func deliverDue() async -> Int {
        var delivered = 0
        while true {
            let now = Clock.millis()
            guard let next = pending.withLock({ p -> Entry? in
                guard let top = p.heap.first, top.deliverAt <= now else { return nil }
                return Self.pop(from: &p.heap)
            }) else { return delivered }
            if await deliver(next) {
                progress.markDelivered(next.queueOffset)
                delivered += 1
            } else {
                pending.withLock { Self.push(next, into: &$0.heap) }
                return delivered
            }
        }
    }

    func deliver(_ entry: Entry) async -> Bool {
        let store = context.store
        let result = store.getMessage(group: "TIMER", topic: TimerMessageHook.timerTopic, queueID: 0, offset: entry.queueOffset, maxMsgNums: 1)
        guard result.status == .found, let slice = result.messages.first else { return true }  // gone (retention)
        var buffer = slice.byteBuffer
        guard let m = try? MessageDecoder.decodeOne(&buffer) else { return true }
        var properties = m.properties
        let topic = properties[MessageConst.realTopic] ?? m.topic
        let queueID = properties[MessageConst.realQueueID].flatMap(Int32.init) ?? 0
        properties.removeValue(forKey: MessageConst.realTopic)
        properties.removeValue(forKey: MessageConst.realQueueID)
        properties.removeValue(forKey: MessageConst.timerDeliverMS)
        properties[MessageConst.waitStoreMsgOK] = "false"
        let put = await context.putMessage(MessageExtBrokerInner(
            topic: topic, queueID: queueID, flag: m.flag, body: ByteBuffer(bytes: m.body),
            propertiesString: MessageProperties.encode(properties),
            tagsCode: MessageExtBrokerInner.tagsString2tagsCode(properties[MessageConst.tags]), sysFlag: m.sysFlag,
            bornTimestamp: m.bornTimestamp, bornHost: m.bornHost, storeHost: context.storeHost, reconsumeTimes: m.reconsumeTimes))
        if !(put.isOK || put.status == .flushDiskTimeout) {
            context.logger.warning("timer delivery failed (\(put.status.rawValue)); will retry")
            return false
        }
        return true
    }

    static func push(_ e: Entry, into heap: inout [Entry]) {
        heap.append(e)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if heap[i] < heap[parent] { heap.swapAt(i, parent); i = parent } else { break }
        }
    }

    static func pop(from heap: inout [Entry]) -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count && heap[l] < heap[m] { m = l }
            if r < heap.count && heap[r] < heap[m] { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
        return top
    }
}
