//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon

/// What a processor knows about the request's connection.
public struct RequestContext: Sendable {
    public let channel: any Channel
    public let remoteAddress: SocketAddress?
    public let localAddress: SocketAddress?

    public init(channel: any Channel) {
        self.channel = channel
        self.remoteAddress = channel.remoteAddress
        self.localAddress = channel.localAddress
    }

    /// "ip:port" of the peer, as upstream's `RemotingHelper.parseChannelRemoteAddr`.
    public var remoteAddressString: String {
        guard let a = remoteAddress else { return "" }
        return "\(a.ipAddress ?? "?"):\(a.port ?? 0)"
    }

    public var channelID: ObjectIdentifier { ObjectIdentifier(channel) }
}

/// What ``RequestProcessor/processRequestInline(_:context:)`` did with a request.
public enum InlineOutcome: Sendable {
    /// Handled on the event loop: send this response (nil: none, e.g. one-way).
    case done(RemotingCommand?)
    /// Not handled and nothing changed: run ``RequestProcessor/processRequest(_:context:)`` in a Task.
    case needsTask
}

/// Serves one or more request codes (Java `NettyRequestProcessor`).
public protocol RequestProcessor: Sendable {
    /// Returns the response, or nil for a one-way request (or a response sent later, e.g. long polling).
    func processRequest(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand?
    /// Answers on the connection's event loop when the request needs no waiting (no I/O, no other
    /// service's answer), which saves a Task and two thread hops per request; anything else returns
    /// `.needsTask` before changing any state. Must not block.
    func processRequestInline(_ request: RemotingCommand, context: RequestContext) throws -> InlineOutcome
    /// A cheap back-pressure check; true answers `SYSTEM_BUSY` without running the processor.
    func rejectsRequest(_ request: RemotingCommand) -> Bool
}

extension RequestProcessor {
    public func processRequestInline(_ request: RemotingCommand, context: RequestContext) throws -> InlineOutcome {
        .needsTask
    }
    public func rejectsRequest(_ request: RemotingCommand) -> Bool { false }
}

/// A processor from a closure, for small servers and tests.
public struct ClosureProcessor: RequestProcessor {
    let body: @Sendable (RemotingCommand, RequestContext) async throws -> RemotingCommand?
    public init(_ body: @escaping @Sendable (RemotingCommand, RequestContext) async throws -> RemotingCommand?) {
        self.body = body
    }
    public func processRequest(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand? {
        try await body(request, context)
    }
}
