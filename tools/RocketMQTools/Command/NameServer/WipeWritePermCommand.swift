//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient

/// `wipeWritePerm` (Java `WipeWritePermSubCommand`): take write permission away from a broker on every
/// name server.
struct WipeWritePermCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wipeWritePerm", abstract: "Wipe write perm of broker in all name server")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("b"), .customLong("brokerName")], help: "broker name")
    var brokerName: String

    func run() async throws {
        try await namesrv.withAdmin { admin in
            for (address, count) in try await admin.wipeWritePerm(brokerName: brokerName).sorted(by: { $0.key < $1.key }) {
                out.write("wipe write perm of broker[\(brokerName)] in name server[\(address)] OK, \(count)\n")
            }
        }
    }
}
