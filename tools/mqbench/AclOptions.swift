//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQAcl
import RocketMQClient

/// Upstream benchmark's ACL options (`-a aclEnable`, `-ak accessKey`, `-sk secretKey`; ArgumentParser has
/// no two-letter short names, so the long names carry upstream's spelling).
struct AclOptions: ParsableArguments {
    @Flag(name: [.customShort("a"), .customLong("aclEnable")], help: "Sign requests (broker aclEnable=true).")
    var aclEnable = false
    @Option(name: .customLong("accessKey"), help: "ACL access key.") var accessKey: String = "rocketmq2"
    @Option(name: .customLong("secretKey"), help: "ACL secret key.") var secretKey: String = "12345678"

    /// Sets the credentials on `config` when `--aclEnable` is given.
    func apply(to config: inout ClientConfig) {
        guard aclEnable else { return }
        config.sessionCredentials = SessionCredentials(accessKey: accessKey, secretKey: secretKey)
    }
}
