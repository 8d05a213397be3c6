//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon
import Synchronization

/// Upstream's `TransactionListenerImpl`: every local transaction is first UNKNOW; when the broker checks
/// back, the i-th message answers `i % 3` → 0 UNKNOW, 1 COMMIT, 2 ROLLBACK.
final class ExampleTransactionListener: TransactionListener {
    private let next = Atomic<Int>(0)
    private let states = Mutex<[String: Int]>([:])
    /// Message ids whose check answered COMMIT or ROLLBACK.
    let decided = Mutex<Set<String>>([])

    func executeLocalTransaction(_ message: Message, arg: (any Sendable)?) async -> LocalTransactionState {
        let value = next.add(1, ordering: .relaxed).oldValue
        if let id = message.properties[MessageConst.uniqueClientMessageIDKeyIndex] {
            states.withLock { $0[id] = value % 3 }
        }
        return .unknow
    }

    func checkLocalTransaction(_ message: MessageExt) async -> LocalTransactionState {
        let state: LocalTransactionState = switch states.withLock({ $0[message.msgID] }) {
        case 0: .unknow
        case 1: .commitMessage
        case 2: .rollbackMessage
        default: .commitMessage
        }
        if state != .unknow { decided.withLock { _ = $0.insert(message.msgID) } }
        say("checkLocalTransaction msgId=\(message.msgID) keys=\(message.keys ?? "") state=\(state.rawValue)")
        return state
    }

    /// How many messages will be decided by a check (values 1 and 2).
    func decidable() -> Set<String> { states.withLock { Set($0.filter { $0.value != 0 }.keys) } }
}

/// `transaction.TransactionProducer`: half messages, local transaction, broker check-back.
struct TransactionProducerExample: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transaction.TransactionProducer",
        abstract: "Send transactional messages and answer the broker's checks.",
        aliases: ["transaction-producer"])

    @OptionGroup var common: CommonOptions
    @Option(help: "How many messages to send.") var count = 10
    @Option(help: "Topic to send to.") var topic = "TopicTest1234"
    @Option(help: "Seconds to wait for the broker's checks (upstream sleeps 100 s).") var timeout: Double = 100

    func run() async throws {
        let listener = ExampleTransactionListener()
        let producer = TransactionMQProducer(producerGroup: "please_rename_unique_group_name",
                                             clientConfig: common.clientConfig(), listener: listener)
        try await producer.start()
        let tags = ["TagA", "TagB", "TagC", "TagD", "TagE"]
        for i in 0..<count {
            let message = Message(topic: topic, tags: tags[i % tags.count], keys: "KEY\(i)", body: "Hello RocketMQ \(i)")
            let result = try await producer.sendMessageInTransaction(message)
            say(result.sendResult)
        }
        let expected = listener.decidable()
        let allChecked = await waitUntil(timeout: .milliseconds(Int64(timeout * 1000))) {
            expected.isSubset(of: listener.decided.withLock { $0 })
        }
        await producer.shutdown()
        let decided = listener.decided.withLock { $0.count }
        say("Transaction checks decided \(decided) of \(expected.count) messages\(allChecked ? "" : " (timed out)").")
        ExampleOutput.flush()
    }
}
