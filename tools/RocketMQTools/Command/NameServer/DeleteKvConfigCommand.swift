//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient

/// `deleteKvConfig` (Java `DeleteKvConfigCommand`): delete a KV config entry on every name server.
struct DeleteKvConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deleteKvConfig", abstract: "Delete KV config.")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("s"), .customLong("namespace")], help: "set the namespace")
    var namespace: String
    @Option(name: [.customShort("k"), .customLong("key")], help: "set the key name")
    var key: String

    func run() async throws {
        try await namesrv.withAdmin { admin in
            try await admin.deleteKVConfig(namespace: namespace, key: key)
            out.write("delete kv config from namespace success.\n")
        }
    }
}
