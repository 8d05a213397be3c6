//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import RocketMQRemoting

/// Outcome of a local transaction (Java `LocalTransactionState`; upstream's spelling `UNKNOW` kept).
public enum LocalTransactionState: String, Sendable {
    case commitMessage = "COMMIT_MESSAGE"
    case rollbackMessage = "ROLLBACK_MESSAGE"
    case unknow = "UNKNOW"

    /// END_TRANSACTION's `commitOrRollback`: 8 commit, 12 rollback, 0 unknown (PROTOCOL.md §10.8).
    var commitOrRollback: Int32 {
        switch self {
        case .commitMessage: MessageSysFlag.transactionCommitType
        case .rollbackMessage: MessageSysFlag.transactionRollbackType
        case .unknow: MessageSysFlag.transactionNotType
        }
    }
}

/// Runs the local half of a transaction and answers the broker's checks (Java `TransactionListener`).
public protocol TransactionListener: Sendable {
    /// Called after the half message is stored; `arg` is what was passed to `sendMessageInTransaction`.
    func executeLocalTransaction(_ message: Message, arg: (any Sendable)?) async -> LocalTransactionState
    /// Called when the broker asks about a half message still unresolved (CHECK_TRANSACTION_STATE).
    func checkLocalTransaction(_ message: MessageExt) async -> LocalTransactionState
}

/// The result of `sendMessageInTransaction` (Java `TransactionSendResult`).
public struct TransactionSendResult: Sendable {
    public var sendResult: SendResult
    public var localTransactionState: LocalTransactionState
}

/// A producer for transactional messages (Java `TransactionMQProducer`): sends a half message, runs the
/// local transaction, then commits or rolls back with END_TRANSACTION (oneway).
public final class TransactionMQProducer: Sendable {
    /// The underlying producer; configure it (name server, timeouts) before `start()`.
    public let producer: DefaultMQProducer
    let listener: any TransactionListener

    public init(producerGroup: String, namesrvAddr: String? = nil, clientConfig: ClientConfig = ClientConfig(),
                listener: any TransactionListener, logger: Logger = Logger(label: "rocketmq.producer.tx")) {
        self.producer = DefaultMQProducer(producerGroup: producerGroup, namesrvAddr: namesrvAddr,
                                          clientConfig: clientConfig, logger: logger)
        self.listener = listener
    }

    public func start() async throws(ClientError) {
        let listener = self.listener
        let producer = self.producer
        producer.runtime.withLock { r in
            r.transactionCheck = { [weak producer] address, message, header in
                guard let producer else { return }
                let state = await listener.checkLocalTransaction(message)
                await producer.endTransaction(address: address, state: state, fromCheck: true,
                                              tranStateTableOffset: header.tranStateTableOffset,
                                              commitLogOffset: header.commitLogOffset,
                                              msgID: header.msgID ?? message.msgID,
                                              transactionID: header.transactionID, remark: nil)
            }
        }
        try await producer.start()
    }

    public func shutdown() async { await producer.shutdown() }

    /// Sends `message` as a half message, runs the listener's local transaction and ends it.
    public func sendMessageInTransaction(_ message: Message, arg: (any Sendable)? = nil) async throws(ClientError)
        -> TransactionSendResult
    {
        if message.delayTimeLevel > 0 { throw .illegalArgument("DelayTimeLevel is not supported for transaction message") }
        var half = message
        half.properties[MessageConst.transactionPrepared] = "true"
        half.properties[MessageConst.producerGroup] = producer.producerGroup
        let sendResult = try await producer.send(half)
        var state = LocalTransactionState.unknow
        if sendResult.sendStatus == .sendOK {
            var stamped = half
            stamped.properties[MessageConst.uniqueClientMessageIDKeyIndex] = sendResult.msgID
            state = await listener.executeLocalTransaction(stamped, arg: arg)
        } else {
            state = .rollbackMessage
        }
        guard let decoded = MessageID.decodeOffsetMessageID(sendResult.offsetMsgID) else {
            throw .illegalArgument("cannot decode offsetMsgId \(sendResult.offsetMsgID)")
        }
        let instance = try producer.runningInstance()
        guard let address = await instance.masterAddress(sendResult.messageQueue.brokerName, topic: message.topic) else {
            throw .illegalArgument("The broker[\(sendResult.messageQueue.brokerName)] not exist")
        }
        await producer.endTransaction(
            address: address, state: state, fromCheck: false, tranStateTableOffset: sendResult.queueOffset,
            commitLogOffset: decoded.commitLogOffset, msgID: sendResult.msgID, transactionID: sendResult.transactionID,
            remark: nil)
        return TransactionSendResult(sendResult: sendResult, localTransactionState: state)
    }
}

extension DefaultMQProducer {
    /// END_TRANSACTION, oneway as in Java; failures are only logged (the broker will check again).
    func endTransaction(address: String, state: LocalTransactionState, fromCheck: Bool, tranStateTableOffset: Int64,
                        commitLogOffset: Int64, msgID: String, transactionID: String?, remark: String?) async {
        guard let instance = try? runningInstance() else { return }
        let header = EndTransactionRequestHeader(
            producerGroup: producerGroup, tranStateTableOffset: tranStateTableOffset, commitLogOffset: commitLogOffset,
            commitOrRollback: state.commitOrRollback, fromTransactionCheck: fromCheck, msgID: msgID,
            transactionID: transactionID ?? msgID)
        do { try await instance.api.endTransactionOneway(address: address, header: header, remark: remark) } catch {
            logger.warning("end transaction failed", metadata: ["msgId": "\(msgID)", "error": "\(error)"])
        }
    }
}
