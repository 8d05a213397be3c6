//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import RocketMQRemoting
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// What `mqnamesrv` does, callable from other executables (`mqbroker --standalone`) and tests.
public enum NamesrvStartup {
    /// Reads `-c file` over the defaults. Unknown keys are returned for a warning; a bad value throws
    /// naming the key.
    public static func loadConfig(file: String?) throws -> (NamesrvConfig, unknownKeys: [String]) {
        var config = NamesrvConfig()
        var unknown: [String] = []
        if let file {
            guard let text = FileIO.readString(file) else {
                throw FileIOError(path: file, reason: "cannot read config file")
            }
            unknown = try NamesrvConfig.binder.apply(PropertiesFile.parse(text), to: &config)
        }
        return (config, unknown)
    }

    public static func printConfig(_ config: NamesrvConfig) {
        for (k, v) in NamesrvConfig.binder.render(config) { print("\(k)=\(v)") }
    }

    public static let bootMessage = "The Name Server boot success. serializeType=JSON"
}
