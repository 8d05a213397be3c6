//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import Synchronization

/// Requests waiting for their response on one connection, keyed by `opaque`.
///
/// Shared by the channel handler (which completes entries) and invokers (which add them); a `Mutex`
/// keeps it simple and the sections are a dictionary insert or remove.
public final class PendingResponses: Sendable {
    struct Entry {
        let channelID: ObjectIdentifier
        let promise: EventLoopPromise<RemotingCommand>
        let timeout: Scheduled<Void>?
    }
    private let table = Mutex<[Int32: Entry]>([:])

    public init() {}

    func add(_ opaque: Int32, channelID: ObjectIdentifier, promise: EventLoopPromise<RemotingCommand>,
             timeout: Scheduled<Void>?) {
        table.withLock { $0[opaque] = Entry(channelID: channelID, promise: promise, timeout: timeout) }
    }

    @discardableResult
    func complete(_ response: RemotingCommand) -> Bool {
        guard let entry = table.withLock({ $0.removeValue(forKey: response.opaque) }) else { return false }
        entry.timeout?.cancel()
        entry.promise.succeed(response)
        return true
    }

    func fail(_ opaque: Int32, _ error: any Error) {
        guard let entry = table.withLock({ $0.removeValue(forKey: opaque) }) else { return }
        entry.timeout?.cancel()
        entry.promise.fail(error)
    }

    /// Fails every request waiting on one connection (it closed).
    func failAll(channelID: ObjectIdentifier, _ error: any Error) {
        let all = table.withLock { t -> [Entry] in
            let keys = t.filter { $0.value.channelID == channelID }.map(\.key)
            return keys.compactMap { t.removeValue(forKey: $0) }
        }
        for entry in all {
            entry.timeout?.cancel()
            entry.promise.fail(error)
        }
    }

    public var count: Int { table.withLock { $0.count } }
}

/// Process-wide request id source, as Java's `RemotingCommand.requestId`.
public enum OpaqueGenerator {
    static let counter = Atomic<Int32>(0)
    public static func next() -> Int32 {
        counter.wrappingAdd(1, ordering: .relaxed).newValue & Int32.max
    }
}

extension PendingResponses {
    /// Sends a request on a channel and waits for its response, failing after \`timeoutMillis\`.
    public func invoke(_ request: RemotingCommand, on channel: any Channel, timeoutMillis: Int64) async throws
        -> RemotingCommand
    {
        var request = request
        let opaque = OpaqueGenerator.next()
        request.opaque = opaque
        let promise = channel.eventLoop.makePromise(of: RemotingCommand.self)
        let address = channel.remoteAddress.map { "\($0)" } ?? "?"
        let code = request.code
        let timeout = channel.eventLoop.scheduleTask(in: .milliseconds(timeoutMillis)) { [self] in
            self.fail(opaque, RemotingError.timeout(address: address, code: code, millis: timeoutMillis))
        }
        add(opaque, channelID: ObjectIdentifier(channel), promise: promise, timeout: timeout)
        channel.writeAndFlush(request).whenFailure { [self] error in
            self.fail(opaque, RemotingError.sendRequestFailed(address: address, reason: "\(error)"))
        }
        return try await promise.futureResult.get()
    }

    /// Sends a one-way request: no response is expected or waited for.
    public static func invokeOneway(_ request: RemotingCommand, on channel: any Channel) async throws {
        var request = request
        request.opaque = OpaqueGenerator.next()
        request.markOneway()
        try await channel.writeAndFlush(request)
    }
}
