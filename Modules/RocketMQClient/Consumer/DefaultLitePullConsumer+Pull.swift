//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting

/// Rebalance hooks and the per-queue pull task of the lite pull consumer (Java
/// `DefaultLitePullConsumerImpl.PullTaskImpl` + `RebalanceLitePullImpl`).
extension DefaultLitePullConsumer: MQConsumerInner, RebalanceDelegate {
    func consumerData() -> ConsumerData {
        let s = settings.withLock { $0 }
        let subs = runtime.withLock { $0.subscriptions }
        return ConsumerData(groupName: s.consumerGroup, consumeType: .consumeActively, messageModel: s.messageModel,
                            consumeFromWhere: s.consumeFromWhere,
                            subscriptionDataSet: subs.keys.sorted().compactMap { subs[$0] })
    }

    func subscribedTopics() -> [String] { runtime.withLock { Array($0.subscriptions.keys) } }

    func doRebalance() async {
        guard let rebalance = runtime.withLock({ $0.started ? $0.rebalance : nil }) else { return }
        await rebalance.doRebalance(orderly: false, delegate: self)
    }

    func persistConsumerOffset() async {}  // the auto-commit task persists

    func resetOffset(topic: String, offsets: [MessageQueue: Int64]) async {
        for (queue, offset) in offsets where queue.topic == topic { try? seek(queue, offset: offset) }
    }

    func runningInfoProperties() -> [String: String] {
        ["consumerGroup": consumerGroup, "messageModel": messageModel.rawValue, "PROP_CONSUMEORDERLY": "false"]
    }

    func consumeMessageDirectly(_ message: MessageExt, brokerName: String?) async -> (result: String, remark: String?) {
        ("CR_THROW_EXCEPTION", "lite pull consumers cannot consume directly")
    }

    func computePullFromWhere(_ queue: MessageQueue) async -> Int64 {
        let (store, instance) = runtime.withLock { ($0.offsetStore, $0.instance) }
        guard let store, let instance else { return -1 }
        let s = settings.withLock { $0 }
        let last = await store.readOffset(queue, .readFromStore)
        if last >= 0 { return last }
        guard last == -1 else { return -1 }
        if MixAll.isRetryTopic(queue.topic) { return 0 }
        guard let address = await instance.masterAddress(queue.brokerName, topic: queue.topic) else { return -1 }
        switch s.consumeFromWhere {
        case .consumeFromFirstOffset, .consumeFromMinOffset:
            return 0
        case .consumeFromTimestamp:
            guard let millis = ConsumeTimestamp.parse(s.consumeTimestamp) else { return -1 }
            return (try? await instance.api.searchOffset(address: address, queue: queue, timestamp: millis)) ?? -1
        default:
            return (try? await instance.api.maxOffset(address: address, queue: queue)) ?? -1
        }
    }

    func removeUnnecessaryMessageQueue(_ queue: MessageQueue, _ processQueue: ProcessQueue) async -> Bool {
        let store = runtime.withLock { r -> (any OffsetStore)? in
            r.queues[queue] = nil
            r.buffer.removeAll { $0.0 == queue }
            return r.offsetStore
        }
        await store?.persist(queue)
        store?.removeOffset(queue)
        return true
    }

    func dispatchPullRequests(_ requests: [(queue: MessageQueue, processQueue: ProcessQueue, nextOffset: Int64)]) {
        runtime.withLock { r in
            for request in requests {
                r.queues[request.queue] = QueueState(processQueue: request.processQueue, nextPullOffset: request.nextOffset)
                r.tasks.append(Task { [weak self] in
                    await self?.pullTask(queue: request.queue, processQueue: request.processQueue, generation: 0)
                })
            }
        }
    }

    /// Pulls one queue while its position is still `generation`; a `seek` starts a new task with the next
    /// generation, and this one ends as soon as its in-flight pull returns.
    func pullTask(queue: MessageQueue, processQueue: ProcessQueue, generation: Int) async {
        guard let instance = runtime.withLock({ $0.instance }) else { return }
        let wrapper = PullAPIWrapper(instance: instance, group: consumerGroup)
        while !processQueue.isDropped && !Task.isCancelled {
            let s = settings.withLock { $0 }
            guard let (state, subscription) = runtime.withLock({ r in
                r.queues[queue].flatMap { q in r.subscriptions[queue.topic].map { (q, $0) } }
            }), state.generation == generation else { return }
            if state.paused || processQueue.messageCount > s.pullThresholdForQueue {
                try? await Task.sleep(for: .milliseconds(50))
                continue
            }
            do {
                let result = try await wrapper.pull(
                    queue: queue, subscription: subscription, offset: state.nextPullOffset, maxNums: s.pullBatchSize,
                    commitOffset: nil, suspend: true, postSubscription: true,
                    suspendTimeoutMillis: s.brokerSuspendMaxTimeMillis, timeoutMillis: s.consumerTimeoutMillisWhenSuspend)
                runtime.withLock { r in
                    // A seek while the pull was in flight wins.
                    guard var current = r.queues[queue], current.generation == state.generation else { return }
                    current.nextPullOffset = result.nextBeginOffset
                    r.queues[queue] = current
                    if result.status == .found && !result.messages.isEmpty {
                        processQueue.putMessages(result.messages)
                        r.buffer.append((queue, state.generation, result.messages))
                    } else if result.status == .offsetIllegal || processQueue.messageCount == 0 {
                        r.offsetStore?.updateOffset(queue, result.nextBeginOffset, increaseOnly: result.status != .offsetIllegal)
                    }
                }
            } catch {
                if processQueue.isDropped { return }
                logger.info("pull failed", metadata: ["queue": "\(queue)", "error": "\(error)"])
                try? await Task.sleep(for: instance.config.pullTimeDelayWhenException)
            }
        }
    }
}
