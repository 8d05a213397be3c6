//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon
import RocketMQStore

/// Moves transactional messages between their real topic and the half/op topics (Java
/// `TransactionalMessageBridge`).
enum TransactionalMessageBridge {
    /// A prepared message is parked in `RMQ_SYS_TRANS_HALF_TOPIC` queue 0 with its real topic and queue kept.
    static func parseHalfMessage(_ message: MessageExtBrokerInner) -> MessageExtBrokerInner {
        var m = message
        var properties = m.properties
        properties[MessageConst.realTopic] = m.topic
        properties[MessageConst.realQueueID] = String(m.queueID)
        m.propertiesString = MessageProperties.encode(properties)
        m.sysFlag = MessageSysFlag.resetTransactionValue(m.sysFlag, MessageSysFlag.transactionNotType)
        m.topic = TopicValidator.rmqSysTransHalfTopic
        m.queueID = 0
        return m
    }

    /// The committed message for the real topic, built from the half message.
    static func committedMessage(from half: MessageExt, storeHost: SocketAddressBytes) -> MessageExtBrokerInner {
        var properties = half.properties
        let topic = properties.removeValue(forKey: MessageConst.realTopic) ?? half.topic
        let queueID = properties.removeValue(forKey: MessageConst.realQueueID).flatMap(Int32.init) ?? 0
        // Everything else stays, as on a Java broker: consumers see TRAN_MSG=true, PGROUP, UNIQ_KEY… on a
        // committed transactional message (upstream clears TRAN_MSG only from the property map, after the
        // stored properties string was built).
        return MessageExtBrokerInner(
            topic: topic, queueID: queueID, flag: half.flag, body: ByteBuffer(bytes: half.body),
            propertiesString: MessageProperties.encode(properties),
            tagsCode: MessageExtBrokerInner.tagsString2tagsCode(properties[MessageConst.tags]),
            sysFlag: MessageSysFlag.resetTransactionValue(half.sysFlag, MessageSysFlag.transactionCommitType),
            bornTimestamp: half.bornTimestamp, bornHost: half.bornHost, storeHost: storeHost,
            reconsumeTimes: half.reconsumeTimes, preparedTransactionOffset: half.commitLogOffset)
    }

    /// The transaction's key: the half message's UNIQ_KEY (same on every re-appended copy).
    static func transactionKey(_ half: MessageExt) -> String {
        half.properties[MessageConst.uniqueClientMessageIDKeyIndex] ?? "offset:\(half.commitLogOffset)"
    }

    static let opKeyProperty = "TX_KEY"
    static let opStateProperty = "TX_STATE"

    /// The op record marking a transaction final: tag `d`, body = the half-queue offset (upstream's form),
    /// plus the transaction key and state so the table can be rebuilt after a restart.
    static func opMessage(for half: MessageExt, state: TransactionStateTable.State, storeHost: SocketAddressBytes)
        -> MessageExtBrokerInner
    {
        MessageExtBrokerInner(
            topic: TopicValidator.rmqSysTransOpHalfTopic, queueID: half.queueID, body: ByteBuffer(string: String(half.queueOffset)),
            propertiesString: MessageProperties.encode([MessageConst.tags: "d", opKeyProperty: transactionKey(half),
                                                        opStateProperty: state.rawValue]),
            tagsCode: MessageExtBrokerInner.tagsString2tagsCode("d"), storeHost: storeHost)
    }

    /// A copy of a half message for re-appending before a check, with the check counter raised.
    static func renewedHalf(_ half: MessageExt, storeHost: SocketAddressBytes) -> MessageExtBrokerInner {
        var properties = half.properties
        let times = properties[MessageConst.transactionCheckTimes].flatMap(Int.init) ?? 0
        properties[MessageConst.transactionCheckTimes] = String(times + 1)
        return MessageExtBrokerInner(
            topic: half.topic, queueID: half.queueID, flag: half.flag, body: ByteBuffer(bytes: half.body),
            propertiesString: MessageProperties.encode(properties),
            tagsCode: MessageExtBrokerInner.tagsString2tagsCode(properties[MessageConst.tags]), sysFlag: half.sysFlag,
            bornTimestamp: half.bornTimestamp, bornHost: half.bornHost, storeHost: storeHost,
            reconsumeTimes: half.reconsumeTimes)
    }
}
