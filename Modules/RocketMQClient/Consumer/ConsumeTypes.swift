//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting
import Synchronization

/// Result of a concurrent listener (Java `ConsumeConcurrentlyStatus`).
public enum ConsumeConcurrentlyStatus: String, Sendable {
    /// Consumed; the offset may advance.
    case consumeSuccess = "CONSUME_SUCCESS"
    /// Failed; the message is sent back to the broker and redelivered after a delay.
    case reconsumeLater = "RECONSUME_LATER"
}

/// Result of an orderly listener (Java `ConsumeOrderlyStatus`).
public enum ConsumeOrderlyStatus: String, Sendable {
    case success = "SUCCESS"
    /// Failed; the same messages are retried locally after `suspendCurrentQueueTimeMillis`, keeping order.
    case suspendCurrentQueueAMoment = "SUSPEND_CURRENT_QUEUE_A_MOMENT"
}

/// Per-call context of a concurrent listener (Java `ConsumeConcurrentlyContext`).
///
/// A class so the listener can set ``delayLevelWhenNextConsume``; the value sits in a `Mutex`.
public final class ConsumeConcurrentlyContext: Sendable {
    public let messageQueue: MessageQueue
    private let delayLevel = Mutex<Int32>(0)
    private let ackIndexValue = Mutex<Int>(Int.max)

    public init(messageQueue: MessageQueue) { self.messageQueue = messageQueue }

    /// Delay level for redelivery after RECONSUME_LATER: 0 = broker decides (3 + reconsume times),
    /// -1 = straight to the dead-letter queue, > 0 = that level.
    public var delayLevelWhenNextConsume: Int32 {
        get { delayLevel.withLock { $0 } }
        set { delayLevel.withLock { $0 = newValue } }
    }

    /// With CONSUME_SUCCESS, messages after this index count as failed (Java `ackIndex`).
    public var ackIndex: Int {
        get { ackIndexValue.withLock { $0 } }
        set { ackIndexValue.withLock { $0 = newValue } }
    }
}

/// Per-call context of an orderly listener (Java `ConsumeOrderlyContext`).
public final class ConsumeOrderlyContext: Sendable {
    public let messageQueue: MessageQueue
    private let suspendMillis = Mutex<Int64>(-1)

    public init(messageQueue: MessageQueue) { self.messageQueue = messageQueue }

    /// Overrides the consumer's `suspendCurrentQueueTimeMillis` for this failure (-1 = use the default).
    public var suspendCurrentQueueTimeMillis: Int64 {
        get { suspendMillis.withLock { $0 } }
        set { suspendMillis.withLock { $0 = newValue } }
    }
}

/// A listener that consumes messages of different queues in parallel.
public typealias MessageListenerConcurrently =
    @Sendable ([MessageExt], ConsumeConcurrentlyContext) async -> ConsumeConcurrentlyStatus

/// A listener that consumes each queue's messages one batch at a time, in queue order.
public typealias MessageListenerOrderly = @Sendable ([MessageExt], ConsumeOrderlyContext) async -> ConsumeOrderlyStatus

/// How a subscription filters (Java `MessageSelector`).
public struct MessageSelector: Sendable, Equatable {
    public var expressionType: String
    public var expression: String

    /// Any expression type the broker knows: `TAG`, `SQL92`, or one added by a broker plugin
    /// (for example `KEY_PREFIX`). The type is sent upper-cased; the broker refuses types it does not know.
    public init(expressionType: String, expression: String) {
        self.expressionType = expressionType
        self.expression = expression
    }

    /// Tags joined with `||`, or `*` for all.
    public static func byTag(_ expression: String) -> MessageSelector {
        MessageSelector(expressionType: ExpressionType.tag, expression: expression)
    }

    /// An SQL92 expression over user properties (the broker must enable `enablePropertyFilter`).
    public static func bySQL(_ expression: String) -> MessageSelector {
        MessageSelector(expressionType: ExpressionType.sql92, expression: expression)
    }
}

/// Waits for a free slot: the consume concurrency limit (`consumeThreadMax`) without threads.
actor ConsumeLimiter {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { available = max(1, limit) }

    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
