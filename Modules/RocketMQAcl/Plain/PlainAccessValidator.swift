//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQRemoting

/// The broker's ACL check as a server RPC hook (Java `PlainAccessValidator` registered by
/// `BrokerController.initialAcl`): parse what the request needs, then let the manager decide. A refusal
/// is thrown, so the dispatcher answers SYSTEM_ERROR with upstream's remark and the processor never runs.
public struct PlainAccessValidator: RPCHook {
    public let manager: PlainPermissionManager
    let logger: Logger

    public init(manager: PlainPermissionManager, logger: Logger) {
        self.manager = manager
        self.logger = logger
    }

    public func doBeforeRequest(remoteAddress: String, request: inout RemotingCommand) throws {
        let checked = request
        do {
            let resource = try PlainAccessResource.parse(checked, remoteAddress: remoteAddress)
            try manager.validate(resource) { signer in AclUtils.signature(of: checked, with: signer) }
        } catch {
            logger.warning("ACL refused a request", metadata: [
                "rocketmq.code": "\(checked.code)", "remote": "\(remoteAddress)",
                "accessKey": "\(checked.extFields[SessionCredentials.accessKeyField] ?? "")", "reason": "\(error.message)",
            ])
            throw error
        }
    }
}
