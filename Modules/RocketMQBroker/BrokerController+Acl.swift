//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQAcl
import RocketMQCommon

extension BrokerController {
    /// The ACL check for the remoting server when `aclEnable=true`, else nil (Java `initialAcl`).
    ///
    /// With ACL off nothing is installed, so requests pay only the dispatcher's nil test. Upstream
    /// silently runs without ACL when its validator fails to load; here a bad file stops the start.
    /// - Throws: `AclException` when `plain_acl.yml` does not parse or check.
    func initialAcl() throws -> PlainAccessValidator? {
        let c = config
        guard c.aclEnable else {
            logger.info("The broker does not enable acl")
            return nil
        }
        if c.rocketmqHome.isEmpty {
            logger.warning("aclEnable=true but rocketmqHome (ROCKETMQ_HOME) is not set; reading ./conf/plain_acl.yml")
        }
        let path = PlainPermissionManager.aclFilePath(rocketmqHome: c.rocketmqHome)
        let manager = try PlainPermissionManager(path: path, logger: logger)
        return PlainAccessValidator(manager: manager, logger: logger)
    }

    /// Re-reads plain_acl.yml when it changes (Java `AclFileWatchService`), until shutdown.
    func startAclWatch(_ manager: PlainPermissionManager) {
        let task = Task { await manager.watch() }
        addLifecycleTask(task)
    }
}
