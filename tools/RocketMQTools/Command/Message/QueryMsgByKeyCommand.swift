//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon

/// `queryMsgByKey` (Java `QueryMsgByKeySubCommand`): index lookup by business key.
struct QueryMsgByKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queryMsgByKey", abstract: "Query Message by Key")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("t"), .customLong("topic")], help: "topic name")
    var topic: String
    @Option(name: [.customShort("k"), .customLong("msgKey")], help: "Message Key")
    var key: String
    @Option(name: [.customShort("b"), .customLong("beginTimestamp")], help: "Begin timestamp(ms). default:0")
    var beginTimestamp: Int64 = 0
    @Option(name: [.customShort("e"), .customLong("endTimestamp")], help: "End timestamp(ms). default:Long.MAX_VALUE")
    var endTimestamp: Int64 = .max
    @Option(name: [.customShort("c"), .customLong("maxNum")], help: "The maximum number of messages returned by the query, default:64")
    var maxNum: Int32 = 64

    func run() async throws {
        try await namesrv.withAdmin { admin in
            _ = try await Tools.topicRoute(admin, topic)
            let found = try await admin.queryMessage(topic: topic, key: key, maxNum: maxNum, begin: beginTimestamp,
                                                     end: endTimestamp)
            out.write(Tools.left("#Message ID", 50) + " " + Tools.right("#QID", 4) + " " + Tools.right("#Offset", 40) + "\n")
            for m in found.sorted(by: { ($0.queueID, $0.queueOffset) < ($1.queueID, $1.queueOffset) }) {
                out.write(Tools.left(m.msgID, 50) + " " + Tools.right(m.queueID, 4) + " " + Tools.right(m.queueOffset, 40) + "\n")
            }
        }
    }
}
