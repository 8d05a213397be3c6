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
    private let inFlight = Atomic<Int>(0)

    public init(table: ProcessorTable, logger: Logger) {
        self.table = table
        self.logger = logger
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
        let context = RequestContext(channel: channel)
        do {
            if case .done(let response) = try entry.processor.processRequestInline(request, context: context) {
                entry.lane.release()
                if let response { respond(response, to: request, via: flusher) }
                return
            }
        } catch {
            entry.lane.release()
            respond(Self.errorResponse(error, request: request, logger: logger), to: request, via: flusher)
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
                response = try await entry.processor.processRequest(request, context: context)
            } catch {
                response = Self.errorResponse(error, request: request, logger: logger)
            }
            if let response { self.respond(response, to: request, via: flusher) }
        }
    }

    /// A thrown error as the response: its own code and remark, or SYSTEM_ERROR naming it.
    static func errorResponse(_ error: any Error, request: RemotingCommand, logger: Logger) -> RemotingCommand {
        if let error = error as? any ResponseCodeConvertible {
            return RemotingCommand.response(error.responseCode, remark: error.remark)
        }
        logger.warning("process request failed", metadata: ["rocketmq.code": "\(request.code)", "error": "\(error)"])
        return RemotingCommand.response(.systemError, remark: "\(type(of: error)): \(error)")
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
