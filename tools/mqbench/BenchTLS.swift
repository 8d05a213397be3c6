//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQClient
import RocketMQRemoting

/// mqbench's TLS client settings from `-Dtls.enable=true` and other `-Dtls.*` flags, then
/// `tls.config.file` (upstream's benchmark scripts pass them as JVM flags). Bound in main.swift.
enum BenchTLS {
    @TaskLocal static var current = TLSSystemConfig()

    /// Switches `config` to TLS when `tls.enable=true`.
    static func apply(to config: inout ClientConfig) {
        config.useTLS = current.clientUsesTLS
        config.tls = current
    }
}
