//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting

/// The per-queue pull loop (Java `DefaultMQPushConsumerImpl.pullMessage` + `PullCallback`).
///
/// One task per assigned queue: flow control, long-polling pull with the current offset piggybacked,
/// hand-off of found messages to the consume service, offset corrections. It ends when the queue is
/// dropped (rebalance or shutdown).
extension DefaultMQPushConsumer {
    func pullLoop(queue: MessageQueue, processQueue: ProcessQueue, startOffset: Int64) async {
        guard let (instance, store) = runtime.withLock({ r in r.instance.flatMap { i in r.offsetStore.map { (i, $0) } } })
        else { return }
        let wrapper = PullAPIWrapper(instance: instance, group: consumerGroup)
        var nextOffset = startOffset
        let orderly = isOrderly
        while !processQueue.isDropped && !Task.isCancelled {
            let s = settings.withLock { $0 }
            if processQueue.messageCount > s.pullThresholdForQueue {
                try? await Task.sleep(for: .milliseconds(50))
                continue
            }
            if orderly && s.messageModel == .clustering && !processQueue.isLocked {
                // Java waits 3 s; the 20 s lockAll or a rebalance re-locks.
                try? await Task.sleep(for: .seconds(1))
                if !processQueue.isLocked, let rebalance = runtime.withLock({ $0.rebalance }),
                   await rebalance.lock(queue)
                {
                    processQueue.setLocked(true)
                }
                continue
            }
            guard let subscription = runtime.withLock({ $0.rebalance })?.subscription(queue.topic) else {
                try? await Task.sleep(for: instance.config.pullTimeDelayWhenException)
                continue
            }
            var commitOffset: Int64?
            if s.messageModel == .clustering {
                let stored = await store.readOffset(queue, .readFromMemory)
                if stored > 0 { commitOffset = stored }
            }
            do {
                processQueue.markPulled()
                let result = try await wrapper.pull(
                    queue: queue, subscription: subscription, offset: nextOffset, maxNums: s.pullBatchSize,
                    commitOffset: commitOffset, suspend: true, postSubscription: s.postSubscriptionWhenPull,
                    suspendTimeoutMillis: s.brokerSuspendMaxTimeMillis, timeoutMillis: s.consumerTimeoutMillisWhenSuspend)
                if processQueue.isDropped { return }
                switch result.status {
                case .found:
                    nextOffset = result.nextBeginOffset
                    if result.messages.isEmpty { continue }
                    let dispatch = processQueue.putMessages(result.messages)
                    if orderly {
                        if dispatch { startOrderlyConsume(queue: queue, processQueue: processQueue) }
                    } else {
                        submitConcurrently(result.messages, queue: queue, processQueue: processQueue)
                    }
                case .noNewMsg, .noMatchedMsg:
                    nextOffset = result.nextBeginOffset
                    // Nothing held: the pull position is also the consume position.
                    if processQueue.messageCount == 0 { store.updateOffset(queue, nextOffset, increaseOnly: true) }
                case .offsetIllegal:
                    logger.warning("pull offset illegal, corrected",
                                   metadata: ["queue": "\(queue)", "from": "\(nextOffset)", "to": "\(result.nextBeginOffset)"])
                    nextOffset = result.nextBeginOffset
                    store.updateOffset(queue, nextOffset, increaseOnly: false)
                    await store.persist(queue)
                }
                if s.pullInterval > .zero { try? await Task.sleep(for: s.pullInterval) }
            } catch {
                if processQueue.isDropped { return }
                logger.info("pull failed", metadata: ["queue": "\(queue)", "error": "\(error)"])
                try? await Task.sleep(for: instance.config.pullTimeDelayWhenException)
            }
        }
    }
}
