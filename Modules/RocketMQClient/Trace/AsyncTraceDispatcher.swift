//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import Synchronization

/// Sends trace records to the trace topic (Java `AsyncTraceDispatcher`).
///
/// Traced clients hand contexts to ``append(_:)``, which never blocks a send or a consume. One worker
/// task drains them in batches, joins each batch's records into trace messages of at most
/// ``maxMessageSize`` bytes (keys: the traced message ids and keys, so `queryMsgTraceById` finds them by
/// index) and sends them with its own producer (group `_INNER_TRACE_PRODUCER-<group>`, its own client
/// instance). A full queue drops records, as upstream's bounded queue does.
final class AsyncTraceDispatcher: Sendable {
    static let maxMessageSize = 128_000
    static let batchSize = 100
    static let queueCapacity = 2048

    let traceTopic: String
    private let producer: DefaultMQProducer
    private let logger: Logger
    /// Contexts not sent yet; short synchronous sections only.
    private let queue = Mutex<[TraceContext]>([])
    /// Wakes the worker; holds at most one pending signal.
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>
    private let worker = Mutex<Task<Void, Never>?>(nil)
    private let dropped = Atomic<Int>(0)

    init(group: String, traceTopic: String?, clientConfig: ClientConfig, logger: Logger) {
        self.traceTopic = traceTopic.flatMap { $0.isEmpty ? nil : $0 } ?? TopicValidator.rmqSysTraceTopic
        var config = clientConfig
        // Its own instance (and connection), so tracing never waits behind the traced client's work; named
        // after the traced client's id, so clients of different processes or instances never share one.
        config.instanceName = TraceConstants.traceInstanceName + "_"
            + String(UInt32(bitPattern: JavaHash.hashCode(clientConfig.clientID)))
        self.producer = DefaultMQProducer(producerGroup: TraceConstants.groupNamePrefix + "-" + group,
                                          clientConfig: config, logger: logger)
        self.producer.sendMsgTimeout = 5000
        self.logger = logger
        (self.wakes, self.wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func start() async throws(ClientError) {
        try await producer.start()
        let task = Task { [wakes] in
            for await _ in wakes { await self.drain() }
            await self.drain()  // what came in before shutdown
        }
        worker.withLock { $0 = task }
    }

    /// Queues a record for sending; never waits.
    func append(_ context: TraceContext) {
        let accepted = queue.withLock { q -> Bool in
            guard q.count < Self.queueCapacity else { return false }
            q.append(context)
            return true
        }
        if accepted { wake.yield() } else { dropped.add(1, ordering: .relaxed) }
    }

    /// Sends what is queued, then stops the trace producer (Java `shutdown` flushes too).
    func shutdown() async {
        wake.finish()
        let task = worker.withLock { $0 }
        await task?.value
        await producer.shutdown()
        let lost = dropped.load(ordering: .relaxed)
        if lost > 0 { logger.warning("trace records dropped (queue full)", metadata: ["count": "\(lost)"]) }
    }

    private func drain() async {
        while true {
            let batch = queue.withLock { q -> [TraceContext] in
                let n = min(q.count, Self.batchSize)
                let b = Array(q.prefix(n))
                q.removeFirst(n)
                return b
            }
            if batch.isEmpty { return }
            await flush(batch)
        }
    }

    private func flush(_ batch: [TraceContext]) async {
        var data = ""
        var keys: [String] = []
        var seen = Set<String>()
        for ctx in batch where !(ctx.beans.first?.topic == traceTopic) {
            let transfer = TraceDataEncoder.encode(ctx)
            if data.utf8.count + transfer.data.utf8.count > Self.maxMessageSize, !data.isEmpty {
                await send(data, keys: keys)
                data = ""
                keys = []
                seen = []
            }
            data += transfer.data
            for k in transfer.keys where seen.insert(k).inserted { keys.append(k) }
        }
        if !data.isEmpty { await send(data, keys: keys) }
    }

    private func send(_ data: String, keys: [String]) async {
        var message = Message(topic: traceTopic, body: Array(data.utf8))
        message.keys = keys.joined(separator: " ")
        do {
            _ = try await producer.send(message)
        } catch {
            logger.info("send trace data failed", metadata: ["rocketmq.topic": "\(traceTopic)", "error": "\(error)"])
        }
    }
}
