//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import RocketMQCommon
import Synchronization

/// Runs processors for inbound requests: the one place where unknown codes, busy lanes and thrown
/// errors become responses (Java `NettyRemotingAbstract.processRequestCommand`).
public final class RequestDispatcher: Sendable {
    public let table: ProcessorTable
    let logger: Logger
    /// Runs before every processor (the broker's ACL check); nil costs one test per request.
    let rpcHook: (any RPCHook)?
    private let inFlight = Atomic<Int>(0)

    public init(table: ProcessorTable, logger: Logger, rpcHook: (any RPCHook)? = nil) {
        self.table = table
        self.logger = logger
        self.rpcHook = rpcHook
    }

    public var inFlightCount: Int { inFlight.load(ordering: .acquiring) }

    func dispatch(_ request: RemotingCommand, channel: any Channel, flusher: ResponseFlusher) {
        guard let entry = table.entry(for: request.code) else {
            respond(RemotingCommand.response(.requestCodeNotSupported, remark: " request type \(request.code) not supported"),
                    to: request, via: flusher)
            return
        }
        guard entry.lane.tryAcquire() else {
            respond(RemotingCommand.response(.systemBusy,
                                             remark: "[OVERLOAD]system busy, start flow control for a while (lane \(entry.lane.name) full)"),
                    to: request, via: flusher)
            return
        }
        if entry.processor.rejectsRequest(request) {
            entry.lane.release()
            respond(RemotingCommand.response(.systemBusy, remark: "[REJECTREQUEST]system busy, start flow control for a while"),
                    to: request, via: flusher)
            return
        }
        inFlight.wrappingAdd(1, ordering: .relaxed)
        let logger = self.logger
        Task {
            defer {
                entry.lane.release()
                self.inFlight.wrappingSubtract(1, ordering: .releasing)
            }
            let response: RemotingCommand?
            do {
                let context = RequestContext(channel: channel)
                if let hook = self.rpcHook {
                    // As upstream: the hook runs in the request's task, and what it throws is the answer.
                    var checked = request
                    try hook.doBeforeRequest(remoteAddress: context.remoteAddressString, request: &checked)
                    response = try await entry.processor.processRequest(checked, context: context)
                } else {
                    response = try await entry.processor.processRequest(request, context: context)
                }
            } catch let error as any ResponseCodeConvertible {
                response = RemotingCommand.response(error.responseCode, remark: error.remark)
            } catch {
                logger.warning("process request failed", metadata: ["rocketmq.code": "\(request.code)", "error": "\(error)"])
                response = RemotingCommand.response(.systemError, remark: "\(type(of: error)): \(error)")
            }
            if let response { self.respond(response, to: request, via: flusher) }
        }
    }

    func respond(_ response: RemotingCommand, to request: RemotingCommand, via flusher: ResponseFlusher) {
        guard !request.isOneway else { return }
        var response = response
        response.opaque = request.opaque
        response.markResponse()
        response.serializeType = request.serializeType
        flusher.write(response)
    }
}
