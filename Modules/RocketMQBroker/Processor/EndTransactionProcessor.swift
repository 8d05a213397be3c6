//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting
import RocketMQStore

/// END_TRANSACTION (37): commit or roll back a half message (Java `EndTransactionProcessor`).
///
/// A final state is final: once a half message is committed or rolled back, a later commit or rollback
/// of it is refused instead of producing a second message.
struct EndTransactionProcessor: RequestProcessor {
    let broker: BrokerController

    func processRequest(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand? {
        let h = try request.decodeHeader(EndTransactionRequestHeader.self)
        if broker.config.store.brokerRole == .slave {
            return .response(.slaveNotAvailable, remark: "Slave does not support transaction message")
        }
        let commit = h.commitOrRollback == MessageSysFlag.transactionCommitType
        let rollback = h.commitOrRollback == MessageSysFlag.transactionRollbackType
        guard commit || rollback else { return nil }
        guard let half = broker.store.lookMessageByOffset(h.commitLogOffset),
              half.topic == TopicValidator.rmqSysTransHalfTopic
        else {
            return .response(.systemError, remark: "Find prepared transaction message failed")
        }
        if half.properties[MessageConst.producerGroup] != h.producerGroup {
            return .response(.systemError, remark: "The producer group wrong")
        }
        if half.queueOffset != h.tranStateTableOffset {
            return .response(.systemError, remark: "The transaction state table offset wrong")
        }
        let key = TransactionalMessageBridge.transactionKey(half)
        let state: TransactionStateTable.State = commit ? .committed : .rolledBack
        guard broker.transactionStates.resolve(key, state) else {
            return .response(.systemError,
                             remark: "The transaction \(key) is already \(broker.transactionStates.state(of: key)?.rawValue ?? "final")")
        }
        if commit {
            let message = TransactionalMessageBridge.committedMessage(from: half, storeHost: broker.storeHost)
            let result = await broker.putMessage(message)
            guard result.isOK || result.status == .flushDiskTimeout else {
                broker.transactionStates.unresolve(key)
                return .response(.systemError, remark: result.remark ?? result.status.rawValue)
            }
        }
        _ = await broker.putMessage(TransactionalMessageBridge.opMessage(for: half, state: state, storeHost: broker.storeHost),
                                    waitStoreMsgOK: false)
        broker.metrics.recordEndTransaction(topic: half.properties[MessageConst.realTopic] ?? half.topic, commit: commit)
        return .response()
    }
}
