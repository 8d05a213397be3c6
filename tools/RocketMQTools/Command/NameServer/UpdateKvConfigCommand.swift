//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient

/// `updateKvConfig` (Java `UpdateKvConfigCommand`): put a KV config entry on every name server.
struct UpdateKvConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "updateKvConfig", abstract: "Create or update KV config.")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("s"), .customLong("namespace")], help: "set the namespace")
    var namespace: String
    @Option(name: [.customShort("k"), .customLong("key")], help: "set the key name")
    var key: String
    @Option(name: [.customShort("v"), .customLong("value")], help: "set the key value")
    var value: String

    func run() async throws {
        try await namesrv.withAdmin { admin in
            try await admin.putKVConfig(namespace: namespace, key: key, value: value)
            out.write("create or update kv config to namespace success.\n")
        }
    }
}
