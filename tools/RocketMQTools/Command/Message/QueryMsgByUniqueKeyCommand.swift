//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon

/// `queryMsgByUniqueKey` (Java `QueryMsgByUniqueKeySubCommand`): the message with this client message id.
struct QueryMsgByUniqueKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queryMsgByUniqueKey", abstract: "Query Message by Unique key")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("i"), .customLong("msgId")], help: "Message Id")
    var msgID: String
    @Option(name: [.customShort("t"), .customLong("topic")], help: "The topic of msg")
    var topic: String
    @Flag(name: [.customShort("a"), .customLong("showAll")], help: "Print all message, the limit is 32")
    var showAll = false

    func run() async throws {
        try await namesrv.withAdmin { admin in
            _ = try await Tools.topicRoute(admin, topic)
            let found = try await admin.queryMessageByUniqueKey(topic: topic, msgID: msgID)
            guard !found.isEmpty else { throw ToolError("message [\(msgID)] not found in topic [\(topic)]") }
            for (i, m) in (showAll ? found : [found[0]]).enumerated() {
                if i > 0 { out.write("\n") }
                MessagePrinter.print(m)
            }
        }
    }
}
