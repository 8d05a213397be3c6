//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// An ACL refusal or a bad ACL config (Java `AclException`).
///
/// Upstream throws it from the server's RPC hook, and `NettyRemotingAbstract` answers SYSTEM_ERROR with
/// `RemotingHelper.exceptionSimpleDesc(e)`, which starts with the exception's `toString()`; the remark
/// here is that part ("org.apache.rocketmq.acl.common.AclException: No acl config for ak"), without
/// the Java stack frame that follows it upstream.
public struct AclException: ResponseCodeConvertible, Sendable, Equatable, CustomStringConvertible {
    public static let javaClassName = "org.apache.rocketmq.acl.common.AclException"

    public var message: String

    public init(_ message: String) { self.message = message }

    public var responseCode: ResponseCode { .systemError }
    public var remark: String? { "\(Self.javaClassName): \(message)" }
    public var description: String { message }
}
