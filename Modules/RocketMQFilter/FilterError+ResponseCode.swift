//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// The wire form of a filter failure, mapped once for the remoting dispatcher (STYLE §6).
///
/// A subscription that cannot be compiled — bad text, or an expression type nobody registered — is Java's
/// `SUBSCRIPTION_PARSE_FAILED` (23), which is what `PullMessageProcessor` answers when
/// `ConsumerFilterManager` cannot build the filter. A duplicate registration is a startup failure, never a
/// response, so it maps to `SYSTEM_ERROR`.
extension FilterError: ResponseCodeConvertible {
    public var responseCode: ResponseCode {
        self.code == .duplicateExpressionType ? .systemError : .subscriptionParseFailed
    }

    public var remark: String? { self.description }
}
