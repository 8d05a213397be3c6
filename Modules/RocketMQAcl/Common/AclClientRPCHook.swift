//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQRemoting

/// Signs every outgoing request (Java `AclClientRPCHook`): adds `AccessKey` (and `SecurityToken`)
/// first, so they are signed too, then `Signature` over all fields and the body.
public struct AclClientRPCHook: RPCHook {
    public let credentials: SessionCredentials
    private let signer: AclSigner

    public init(credentials: SessionCredentials) {
        self.credentials = credentials
        self.signer = AclSigner(secretKey: credentials.secretKey)
    }

    public func doBeforeRequest(remoteAddress: String, request: inout RemotingCommand) throws {
        request.extFields[SessionCredentials.accessKeyField] = credentials.accessKey
        if let token = credentials.securityToken {
            request.extFields[SessionCredentials.securityTokenField] = token
        }
        request.extFields[SessionCredentials.signatureField] = AclUtils.signature(of: request, with: signer)
    }
}
