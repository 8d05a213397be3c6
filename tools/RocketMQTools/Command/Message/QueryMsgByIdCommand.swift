//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon

/// `queryMsgById` (Java `QueryMsgByIdSubCommand`): look messages up by offset message id (comma-separated).
struct QueryMsgByIdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queryMsgById", abstract: "Query Message by Id")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("i"), .customLong("msgId")], help: "Message Id")
    var msgID: String

    func run() async throws {
        let ids = msgID.split(separator: ",").map { String($0).trimmingChars(" ") }.filter { !$0.isEmpty }
        guard !ids.isEmpty else { throw ToolError("no message id given (-i)") }
        try await namesrv.withAdmin { admin in
            for id in ids {
                MessagePrinter.print(try await admin.viewMessage(offsetMsgID: id))
            }
        }
    }
}
