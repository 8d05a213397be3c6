//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQClient
import RocketMQCommon
import RocketMQRemoting

/// mqadmin's TLS client settings: `-Dtls.enable=true` and the other `-Dtls.*` flags (anywhere in the
/// command line, as upstream's JVM flags), then `tls.config.file`.
///
/// A task-local for the same reason as ``AdminOutput/current``: commands are built by parsing, and
/// ``MQAdminCommand/run(arguments:output:)`` binds it around the whole run.
enum ClientTLSOptions {
    @TaskLocal static var current = TLSSystemConfig()

    /// Reads the `-D` properties and the TLS config file.
    /// - Throws: ``ConfigError`` naming the key at fault.
    static func load(_ properties: [(key: String, value: String)]) throws(ConfigError) -> TLSSystemConfig {
        var config = TLSSystemConfig()
        try config.apply(properties)
        _ = try config.loadConfigFile()
        return config
    }

    /// A client config that connects with TLS when `tls.enable=true`.
    static func clientConfig() -> ClientConfig {
        var config = ClientConfig()
        config.useTLS = current.clientUsesTLS
        config.tls = current
        return config
    }
}
