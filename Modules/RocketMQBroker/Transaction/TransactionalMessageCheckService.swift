//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import RocketMQCommon
import RocketMQRemoting
import RocketMQStore

/// Asks producers about half messages left unresolved (Java `TransactionalMessageCheckService`).
///
/// Every `transactionCheckInterval` it walks the half queue from its saved progress: resolved
/// transactions are skipped, ones checked `transactionCheckMax` times are discarded (logged, copied to
/// `TRANS_CHECK_MAX_TIME_TOPIC`), ones younger than `transactionTimeOut` (or their
/// `CHECK_IMMUNITY_TIME_IN_SECONDS`) stop the walk, the rest are re-appended with the check counter raised
/// and that copy is sent to a live producer of the group as CHECK_TRANSACTION_STATE (one-way).
struct TransactionalMessageCheckService: Sendable {
    static let checkGroup = MixAll.cidRMQSysPrefix + "TRANS"
    let broker: BrokerController
    let logger: Logger

    var halfTopic: String { TopicValidator.rmqSysTransHalfTopic }

    /// Rebuilds final states from the op topic (start-up).
    func recover() {
        let store = broker.store
        var offset = store.minOffsetInQueue(topic: TopicValidator.rmqSysTransOpHalfTopic, queueID: 0)
        var restored = 0
        while true {
            let result = store.getMessage(group: Self.checkGroup, topic: TopicValidator.rmqSysTransOpHalfTopic, queueID: 0,
                                          offset: offset, maxMsgNums: 32)
            guard result.status == .found, !result.messages.isEmpty else { break }
            for slice in result.messages {
                var buffer = slice.byteBuffer
                guard let op = try? MessageDecoder.decodeOne(&buffer) else { continue }
                if let key = op.properties[TransactionalMessageBridge.opKeyProperty],
                   let state = op.properties[TransactionalMessageBridge.opStateProperty].flatMap(TransactionStateTable.State.init) {
                    broker.transactionStates.restore(key, state)
                    restored += 1
                }
            }
            offset = result.nextBeginOffset
        }
        if restored > 0 { logger.info("restored \(restored) transaction states from the op log") }
    }

    /// One pass over the half queue. Returns how many checks were sent.
    @discardableResult
    func check(now: Int64 = Clock.millis()) async -> Int {
        let c = broker.config
        let store = broker.store
        var offset = max(broker.consumerOffsetManager.queryOffset(group: Self.checkGroup, topic: halfTopic, queueID: 0),
                         store.minOffsetInQueue(topic: halfTopic, queueID: 0))
        let endOffset = store.maxOffsetInQueue(topic: halfTopic, queueID: 0)
        var sent = 0
        scan: while offset < endOffset {
            let result = store.getMessage(group: Self.checkGroup, topic: halfTopic, queueID: 0, offset: offset, maxMsgNums: 32)
            guard result.status == .found, !result.messages.isEmpty else { break }
            for slice in result.messages {
                var buffer = slice.byteBuffer
                guard let half = try? MessageDecoder.decodeOne(&buffer) else {
                    offset += 1
                    continue
                }
                if half.queueOffset >= endOffset { break scan }  // appended during this pass
                let key = TransactionalMessageBridge.transactionKey(half)
                if broker.transactionStates.state(of: key) != nil {
                    offset = half.queueOffset + 1
                    continue
                }
                let checkTimes = half.properties[MessageConst.transactionCheckTimes].flatMap(Int32.init) ?? 0
                let tooOld = now - half.storeTimestamp > Int64(c.store.fileReservedTime) * 3_600_000
                if checkTimes >= c.transactionCheckMax || tooOld {
                    await discard(half, key: key)
                    offset = half.queueOffset + 1
                    continue
                }
                let immunity = half.properties[MessageConst.checkImmunityTimeInSeconds].flatMap(Int64.init).map { $0 * 1000 }
                    ?? c.transactionTimeOut
                if now - half.storeTimestamp < immunity { break scan }
                if await recheck(half) { sent += 1 }
                offset = half.queueOffset + 1
            }
        }
        broker.consumerOffsetManager.commitOffset(group: Self.checkGroup, topic: halfTopic, queueID: 0, offset: offset)
        return sent
    }

    func discard(_ half: MessageExt, key: String) async {
        guard broker.transactionStates.resolve(key, .discarded) else { return }
        logger.warning("transaction \(key) unresolved after \(broker.config.transactionCheckMax) checks; discarded",
                       metadata: ["producerGroup": "\(half.properties[MessageConst.producerGroup] ?? "")"])
        _ = broker.topicConfigManager.createIfAbsent(TopicValidator.rmqSysTransCheckMaxTimeTopic, queueNums: 1,
                                                     perm: PermName.read | PermName.write)
        var copy = TransactionalMessageBridge.renewedHalf(half, storeHost: broker.storeHost)
        copy.topic = TopicValidator.rmqSysTransCheckMaxTimeTopic
        copy.queueID = 0
        _ = await broker.store.putMessage(copy)
        _ = await broker.putMessage(TransactionalMessageBridge.opMessage(for: half, state: .discarded, storeHost: broker.storeHost),
                                    waitStoreMsgOK: false)
    }

    /// Re-appends the half message and asks a producer of its group about the new copy.
    func recheck(_ half: MessageExt) async -> Bool {
        let result = await broker.store.putMessage(TransactionalMessageBridge.renewedHalf(half, storeHost: broker.storeHost))
        guard result.isOK || result.status == .flushDiskTimeout, let append = result.appendResult else {
            logger.warning("re-append of half message failed: \(result.status.rawValue)")
            return false
        }
        guard let group = half.properties[MessageConst.producerGroup],
              let producer = broker.producerManager.channels(group: group).first
        else { return false }
        var copy = half
        copy.queueOffset = append.logicsOffset
        copy.commitLogOffset = append.wroteOffset
        copy.storeTimestamp = append.storeTimestamp
        copy.topic = half.properties[MessageConst.realTopic] ?? half.topic
        copy.queueID = half.properties[MessageConst.realQueueID].flatMap(Int32.init) ?? half.queueID
        copy.properties[MessageConst.transactionCheckTimes] = String((half.properties[MessageConst.transactionCheckTimes].flatMap(Int.init) ?? 0) + 1)
        let uniq = half.properties[MessageConst.uniqueClientMessageIDKeyIndex]
        let header = CheckTransactionStateRequestHeader(
            tranStateTableOffset: append.logicsOffset, commitLogOffset: append.wroteOffset, msgID: uniq,
            transactionID: uniq, offsetMsgID: append.msgID)
        let request = RemotingCommand.request(.checkTransactionState, header: header, body: StoredMessageEncoder.encode(copy))
        do {
            try await PendingResponses.invokeOneway(request, on: producer.channel)
            return true
        } catch {
            logger.warning("CHECK_TRANSACTION_STATE to \(producer.clientID) failed: \(error)")
            return false
        }
    }
}
