//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// A client's ACL identity (Java `SessionCredentials`): the access key it names itself by, the secret
/// that signs its requests, and an optional security token sent along (and signed) as is.
public struct SessionCredentials: Sendable, Equatable {
    /// Ext field names, as upstream's constants; peers match them byte for byte.
    public static let accessKeyField = "AccessKey"
    public static let secretKeyField = "SecretKey"
    public static let signatureField = "Signature"
    public static let securityTokenField = "SecurityToken"
    /// Added by the official C++ client (its "channel", e.g. "ALIYUN"); signed like any other field.
    public static let onsChannelField = "OnsChannel"

    public var accessKey: String
    public var secretKey: String
    public var securityToken: String?

    public init(accessKey: String, secretKey: String, securityToken: String? = nil) {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.securityToken = securityToken
    }
}

extension SessionCredentials: CustomStringConvertible {
    /// Never prints the secret (logs and remarks carry no credentials).
    public var description: String { "SessionCredentials(accessKey: \(accessKey), secretKey: ***)" }
}
