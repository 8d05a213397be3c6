//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting

/// The push consumer as seen by the client instance and the rebalance (Java `DefaultMQPushConsumerImpl`
/// + `RebalancePushImpl`).
extension DefaultMQPushConsumer: MQConsumerInner, RebalanceDelegate {
    func consumerData() -> ConsumerData {
        let s = settings.withLock { $0 }
        let subs = runtime.withLock { r in r.rebalance?.subscriptions.withLock { $0 } ?? r.subscriptions }
        return ConsumerData(groupName: s.consumerGroup, consumeType: .consumePassively, messageModel: s.messageModel,
                            consumeFromWhere: s.consumeFromWhere,
                            subscriptionDataSet: subs.keys.sorted().compactMap { subs[$0] })
    }

    func subscribedTopics() -> [String] {
        runtime.withLock { $0.rebalance }?.subscriptions.withLock { Array($0.keys) } ?? []
    }

    func doRebalance() async {
        guard let rebalance = runtime.withLock({ $0.started ? $0.rebalance : nil }) else { return }
        await rebalance.doRebalance(orderly: isOrderly, delegate: self)
    }

    func persistConsumerOffset() async {
        let (store, rebalance) = runtime.withLock { ($0.offsetStore, $0.rebalance) }
        guard let store, let rebalance else { return }
        await store.persistAll(rebalance.assignedQueues())
    }

    func resetOffset(topic: String, offsets: [MessageQueue: Int64]) async {
        let (store, rebalance) = runtime.withLock { ($0.offsetStore, $0.rebalance) }
        guard let store, let rebalance else { return }
        // Java: drop the queues, store the new offsets, then let rebalance re-create them from the store.
        for (queue, offset) in offsets where queue.topic == topic {
            if let pq = rebalance.processQueue(queue) {
                pq.markDropped()
                pq.clear()
            }
            store.updateOffset(queue, offset, increaseOnly: false)
            await store.persist(queue)
            rebalance.processQueues.withLock { _ = $0.removeValue(forKey: queue) }
        }
        await doRebalance()
    }

    func runningInfoProperties() -> [String: String] {
        let s = settings.withLock { $0 }
        let start = runtime.withLock { $0.startTimestamp }
        return [
            "PROP_CONSUMEORDERLY": isOrderly ? "true" : "false",
            "PROP_THREADPOOL_CORE_SIZE": String(s.consumeThreadMax),
            "PROP_CONSUMER_START_TIMESTAMP": String(start),
            "consumerGroup": s.consumerGroup,
            "messageModel": s.messageModel.rawValue,
            "consumeFromWhere": s.consumeFromWhere.rawValue,
            "pullBatchSize": String(s.pullBatchSize),
            "consumeMessageBatchMaxSize": String(s.consumeMessageBatchMaxSize),
        ]
    }

    func consumeMessageDirectly(_ message: MessageExt, brokerName: String?) async -> (result: String, remark: String?) {
        var message = message
        if let brokerName { message.brokerName = brokerName }
        let queue = MessageQueue(topic: message.topic, brokerName: message.brokerName, queueID: message.queueID)
        switch runtime.withLock({ $0.listener }) {
        case .concurrently(let listener):
            let status = await listener([message], ConsumeConcurrentlyContext(messageQueue: queue))
            return status == .consumeSuccess ? ("CR_SUCCESS", nil) : ("CR_LATER", nil)
        case .orderly(let listener):
            let status = await listener([message], ConsumeOrderlyContext(messageQueue: queue))
            return status == .success ? ("CR_SUCCESS", nil) : ("CR_LATER", nil)
        case nil:
            return ("CR_THROW_EXCEPTION", "no listener")
        }
    }

    // MARK: RebalanceDelegate

    /// Java `RebalancePushImpl.computePullFromWhere` (retry topics always start at 0).
    func computePullFromWhere(_ queue: MessageQueue) async -> Int64 {
        let (store, instance) = runtime.withLock { ($0.offsetStore, $0.instance) }
        guard let store, let instance else { return -1 }
        let s = settings.withLock { $0 }
        let last = await store.readOffset(queue, .readFromStore)
        if last >= 0 { return last }
        guard last == -1 else { return -1 }
        if MixAll.isRetryTopic(queue.topic) { return 0 }
        switch s.consumeFromWhere {
        case .consumeFromFirstOffset, .consumeFromMinOffset:
            return 0
        case .consumeFromTimestamp:
            guard let address = await instance.masterAddress(queue.brokerName, topic: queue.topic),
                  let millis = ConsumeTimestamp.parse(s.consumeTimestamp)
            else { return -1 }
            return (try? await instance.api.searchOffset(address: address, queue: queue, timestamp: millis)) ?? -1
        default:
            guard let address = await instance.masterAddress(queue.brokerName, topic: queue.topic) else { return -1 }
            return (try? await instance.api.maxOffset(address: address, queue: queue)) ?? -1
        }
    }

    func removeUnnecessaryMessageQueue(_ queue: MessageQueue, _ processQueue: ProcessQueue) async -> Bool {
        guard let (store, rebalance) = runtime.withLock({ r in r.offsetStore.flatMap { s in r.rebalance.map { (s, $0) } } })
        else { return true }
        await store.persist(queue)
        store.removeOffset(queue)
        if isOrderly && messageModel == .clustering { await rebalance.unlock([queue]) }
        return true
    }

    func dispatchPullRequests(_ requests: [(queue: MessageQueue, processQueue: ProcessQueue, nextOffset: Int64)]) {
        runtime.withLock { r in
            for request in requests {
                r.pullTasks[request.queue]?.cancel()
                r.pullTasks[request.queue] = Task { [weak self] in
                    await self?.pullLoop(queue: request.queue, processQueue: request.processQueue,
                                         startOffset: request.nextOffset)
                }
            }
        }
    }
}
