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
    /// Per registered code below ``denseCodes``, resolved once and indexed by code (no hashing per
    /// request); empty when metrics are off (then no clock is read either).
    private let latencySinks: [(any RequestLatencySink)?]
    private let latencyRecorder: (any RequestLatencyRecorder)?
    private static let denseCodes: Int32 = 1024

    public init(table: ProcessorTable, logger: Logger, rpcHook: (any RPCHook)? = nil,
                latencyRecorder: (any RequestLatencyRecorder)? = nil) {
        self.table = table
        self.logger = logger
        self.rpcHook = rpcHook
        self.latencyRecorder = latencyRecorder
        var sinks: [(any RequestLatencySink)?] = []
        if let latencyRecorder {
            sinks = Array(repeating: nil, count: Int(Self.denseCodes))
            for code in table.registeredCodes where code >= 0 && code < Self.denseCodes {
                sinks[Int(code)] = latencyRecorder.sink(forRequestCode: code)
            }
        }
        self.latencySinks = sinks
    }

    public var inFlightCount: Int { inFlight.load(ordering: .acquiring) }

    /// The sink for a request's code: the frozen table, else (other codes, rare) the recorder.
    @inline(__always)
    private func latencySink(for code: Int32) -> (any RequestLatencySink)? {
        guard let latencyRecorder else { return nil }
        if code >= 0 && code < Self.denseCodes, let sink = latencySinks[Int(code)] { return sink }
        return latencyRecorder.sink(forRequestCode: code)
    }

    func dispatch(_ request: RemotingCommand, channel: any Channel, flusher: ResponseFlusher) {
        let sink = latencySink(for: request.code)
        let started = sink == nil ? 0 : NIODeadline.now().uptimeNanoseconds
        guard let entry = table.entry(for: request.code) else {
            respond(RemotingCommand.response(.requestCodeNotSupported, remark: " request type \(request.code) not supported"),
                    to: request, via: flusher, sink: sink, started: started)
            return
        }
        guard entry.lane.tryAcquire() else {
            respond(RemotingCommand.response(.systemBusy,
                                             remark: "[OVERLOAD]system busy, start flow control for a while (lane \(entry.lane.name) full)"),
                    to: request, via: flusher, sink: sink, started: started)
            return
        }
        if entry.processor.rejectsRequest(request) {
            entry.lane.release()
            respond(RemotingCommand.response(.systemBusy, remark: "[REJECTREQUEST]system busy, start flow control for a while"),
                    to: request, via: flusher, sink: sink, started: started)
            return
        }
        let context = RequestContext(channel: channel)
        var checked = request
        if let hook = rpcHook {
            // Before both the inline and the Task path, so nothing reaches a processor unchecked. Upstream
            // runs it on the processor's executor; here it runs on the event loop: it is CPU only (the ACL
            // check is a few microseconds plus HmacSHA1 over the body) and a refusal is answered at once.
            do {
                try hook.doBeforeRequest(remoteAddress: context.remoteAddressString, request: &checked)
            } catch {
                entry.lane.release()
                respond(Self.errorResponse(error, request: checked, logger: logger), to: checked, via: flusher, sink: sink,
                        started: started)
                return
            }
        }
        do {
            if case .done(let response) = try entry.processor.processRequestInline(checked, context: context) {
                entry.lane.release()
                if let response { respond(response, to: checked, via: flusher, sink: sink, started: started) }
                return
            }
        } catch {
            entry.lane.release()
            respond(Self.errorResponse(error, request: checked, logger: logger), to: checked, via: flusher, sink: sink,
                    started: started)
            return
        }
        inFlight.wrappingAdd(1, ordering: .relaxed)
        let logger = self.logger
        Task { [checked] in
            defer {
                entry.lane.release()
                self.inFlight.wrappingSubtract(1, ordering: .releasing)
            }
            let response: RemotingCommand?
            do {
                response = try await entry.processor.processRequest(checked, context: context)
            } catch {
                response = Self.errorResponse(error, request: checked, logger: logger)
            }
            if let response { self.respond(response, to: checked, via: flusher, sink: sink, started: started) }
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

    func respond(_ response: RemotingCommand, to request: RemotingCommand, via flusher: ResponseFlusher,
                 sink: (any RequestLatencySink)? = nil, started: UInt64 = 0) {
        guard !request.isOneway else { return }
        if let sink {
            let now = NIODeadline.now().uptimeNanoseconds
            sink.record(responseCode: response.code, nanoseconds: now &- started)
        }
        var response = response
        response.opaque = request.opaque
        response.markResponse()
        response.serializeType = request.serializeType
        flusher.write(response)
    }
}
