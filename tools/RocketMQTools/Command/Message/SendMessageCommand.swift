//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon
import RocketMQRemoting

/// `sendMessage` (Java `SendMessageCommand`): send one message, optionally to a given queue.
struct SendMessageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sendMessage", abstract: "Send a message")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("t"), .customLong("topic")], help: "Topic name")
    var topic: String
    @Option(name: [.customShort("p"), .customLong("body")], help: "UTF-8 string format of the message body")
    var body: String
    @Option(name: [.customShort("k"), .customLong("key")], help: "Message keys")
    var keys: String?
    @Option(name: [.customShort("c"), .customLong("tags")], help: "Message tags")
    var tags: String?
    @Option(name: [.customShort("b"), .customLong("broker")], help: "Send message to target broker")
    var brokerName: String?
    @Option(name: [.customShort("i"), .customLong("qid")], help: "Send message to target queue")
    var queueID: Int32?

    func run() async throws {
        let address = try namesrv.resolvedAddress()
        if let problem = TopicValidator.validate(topic) { throw ToolError(problem) }
        if (brokerName == nil) != (queueID == nil) { throw ToolError("-b <broker> and -i <qid> go together") }
        let producer = DefaultMQProducer(producerGroup: "PID_MQADMIN_\(Clock.millis())", namesrvAddr: address,
                                         clientConfig: ClientTLSOptions.clientConfig(),
                                         logger: Tools.quietLogger("mqadmin.producer"))
        let message = Message(topic: topic, tags: tags, keys: keys, body: body)
        let result: SendResult
        do {
            try await producer.start()
            if let brokerName, let queueID {
                result = try await producer.send(message, to: MessageQueue(topic: topic, brokerName: brokerName,
                                                                           queueID: queueID))
            } else {
                result = try await producer.send(message)
            }
            await producer.shutdown()
        } catch {
            await producer.shutdown()
            throw error
        }
        out.write(Self.row("#Broker Name", "#QID", "#Send Result", "#MsgId"))
        out.write(Self.row(result.messageQueue.brokerName, result.messageQueue.queueID, result.sendStatus.rawValue,
                           result.msgID))
    }

    /// `%-32s  %-4s  %-20s    %s%n`
    static func row(_ broker: Any, _ qid: Any, _ status: Any, _ id: Any) -> String {
        Tools.left(broker, 32) + "  " + Tools.left(qid, 4) + "  " + Tools.left(status, 20) + "    \(id)\n"
    }
}
