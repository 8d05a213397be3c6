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
    /// Reads `-c file` over the defaults; `tls.*` keys from it, then from `-D` flags, then from
    /// `tls.config.file` (whose values win, as upstream's). Unknown keys are returned for a warning; a bad
    /// value throws naming the key.
    public static func loadConfig(file: String?, systemProperties: [(key: String, value: String)] = [])
        throws -> (NamesrvConfig, unknownKeys: [String])
    {
        var config = NamesrvConfig()
        var unknown: [String] = []
        if let file {
            guard let text = FileIO.readString(file) else {
                throw FileIOError(path: file, reason: "cannot read config file")
            }
            let pairs = PropertiesFile.parse(text)
            unknown = try NamesrvConfig.binder.apply(pairs.filter { !TLSSystemConfig.isTLSKey($0.key) }, to: &config)
            unknown += try config.tls.apply(pairs)
        }
        unknown += try config.tls.apply(systemProperties)
        unknown += try config.tls.loadConfigFile().unknownKeys
        return (config, unknown)
    }

    public static func printConfig(_ config: NamesrvConfig) {
        for (k, v) in NamesrvConfig.binder.render(config) { print("\(k)=\(v)") }
    }

    public static let bootMessage = "The Name Server boot success. serializeType=JSON"
}
