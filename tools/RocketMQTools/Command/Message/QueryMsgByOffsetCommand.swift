//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon
import RocketMQRemoting

/// `queryMsgByOffset` (Java `QueryMsgByOffsetSubCommand`): the message at a queue offset.
struct QueryMsgByOffsetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queryMsgByOffset", abstract: "Query Message by offset")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("t"), .customLong("topic")], help: "topic name")
    var topic: String
    @Option(name: [.customShort("b"), .customLong("brokerName")], help: "Broker Name")
    var brokerName: String
    @Option(name: [.customShort("i"), .customLong("queueId")], help: "Queue Id")
    var queueID: Int32
    @Option(name: [.customShort("o"), .customLong("offset")], help: "Queue Offset")
    var offset: Int64

    func run() async throws {
        try await namesrv.withAdmin { admin in
            _ = try await Tools.topicRoute(admin, topic)
            let queue = MessageQueue(topic: topic, brokerName: brokerName, queueID: queueID)
            guard let message = try await admin.queryMessage(queue: queue, offset: offset) else {
                throw ToolError("no message at offset \(offset) of \(queue)")
            }
            MessagePrinter.print(message)
        }
    }
}
