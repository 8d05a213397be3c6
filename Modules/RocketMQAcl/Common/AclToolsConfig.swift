//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import Yams

/// Credentials the admin tools sign with (Java `AclUtils.getAclRPCHook` over `conf/tools.yml`):
/// a YAML mapping with `accessKey` and `secretKey`.
public enum AclToolsConfig {
    /// Upstream's `MixAll.ACL_CONF_TOOLS_FILE`, under ROCKETMQ_HOME.
    public static let toolsFile = "/conf/tools.yml"

    /// The credentials in `path`, or nil when the file is missing, empty, unreadable or has a blank
    /// key (ACL is then off for the tool, as upstream; the reason is logged at debug or warning).
    public static func credentials(path: String, logger: Logger? = nil) -> SessionCredentials? {
        guard let bytes = FileIO.readBytes(path) else {
            logger?.debug("no tools ACL file; requests are not signed", metadata: ["path": "\(path)"])
            return nil
        }
        do {
            guard let map = try Yams.compose(yaml: String(decoding: bytes, as: UTF8.self))?.mapping else { return nil }
            let ak = map["accessKey"]?.scalar?.string.trimmingChars(" \t") ?? ""
            let sk = map["secretKey"]?.scalar?.string.trimmingChars(" \t") ?? ""
            guard !ak.isEmpty, !sk.isEmpty else {
                logger?.warning("AccessKey or secretKey is blank, the acl is not enabled.", metadata: ["path": "\(path)"])
                return nil
            }
            return SessionCredentials(accessKey: ak, secretKey: sk)
        } catch {
            logger?.warning("Convert yaml file to data object error", metadata: ["path": "\(path)", "error": "\(error)"])
            return nil
        }
    }

    /// The signing hook for `path`, or nil (see `credentials(path:logger:)`).
    public static func rpcHook(path: String, logger: Logger? = nil) -> AclClientRPCHook? {
        credentials(path: path, logger: logger).map { AclClientRPCHook(credentials: $0) }
    }
}
