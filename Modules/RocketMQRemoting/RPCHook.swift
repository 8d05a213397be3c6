//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Runs around every request a client sends or a server serves (Java `RPCHook`).
///
/// A client hook may change the outgoing request (the ACL hook adds `AccessKey` and `Signature`). A
/// server hook runs before the processor, inline or not, on the connection's event loop, so it must be
/// CPU-only and must not block; an error it throws becomes the response (a ``ResponseCodeConvertible``
/// error keeps its code and remark), and the processor never sees the request. Hooks are optional: with
/// none installed the request path only tests for `nil`.
public protocol RPCHook: Sendable {
    /// Called before a request is sent (client) or processed (server).
    /// - Parameters:
    ///   - remoteAddress: the peer, "ip:port" (Java `RemotingHelper.parseChannelRemoteAddr`).
    ///   - request: the request; a client hook may add ext fields.
    func doBeforeRequest(remoteAddress: String, request: inout RemotingCommand) throws
    /// Called with the response once it is known; the default does nothing.
    func doAfterResponse(remoteAddress: String, request: RemotingCommand, response: RemotingCommand)
}

extension RPCHook {
    public func doAfterResponse(remoteAddress: String, request: RemotingCommand, response: RemotingCommand) {}
}
