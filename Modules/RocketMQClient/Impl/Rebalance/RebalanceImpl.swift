//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import RocketMQRemoting
import Synchronization

/// What a consumer does when its queue set changes (the abstract half of Java `RebalanceImpl`).
protocol RebalanceDelegate: AnyObject, Sendable {
    /// The offset to start a newly assigned queue from; negative means "skip it this round".
    func computePullFromWhere(_ queue: MessageQueue) async -> Int64
    /// Persists and forgets a queue that is no longer assigned; false keeps it (e.g. busy orderly queue).
    func removeUnnecessaryMessageQueue(_ queue: MessageQueue, _ processQueue: ProcessQueue) async -> Bool
    /// Starts pulling newly assigned queues.
    func dispatchPullRequests(_ requests: [(queue: MessageQueue, processQueue: ProcessQueue, nextOffset: Int64)])
}

/// Assigns queues to this consumer and tracks a ``ProcessQueue`` per assigned queue (Java `RebalanceImpl`).
///
/// Runs are serialized: a trigger during a run marks it pending and the running task goes again, so
/// a NOTIFY_CONSUMER_IDS_CHANGED is never lost. Tables are in `Mutex`es; network calls happen outside.
final class RebalanceImpl: Sendable {
    let group: String
    let messageModel: MessageModel
    let strategy: any AllocateMessageQueueStrategy
    let instance: MQClientInstance
    let logger: Logger

    let subscriptions = Mutex<[String: SubscriptionData]>([:])
    let processQueues = Mutex<[MessageQueue: ProcessQueue]>([:])
    private let running = Mutex<(active: Bool, pending: Bool)>((false, false))

    init(group: String, messageModel: MessageModel, strategy: any AllocateMessageQueueStrategy,
         instance: MQClientInstance, logger: Logger) {
        self.group = group
        self.messageModel = messageModel
        self.strategy = strategy
        self.instance = instance
        self.logger = logger
    }

    func subscription(_ topic: String) -> SubscriptionData? { subscriptions.withLock { $0[topic] } }

    func assignedQueues() -> Set<MessageQueue> { processQueues.withLock { Set($0.keys) } }

    func processQueue(_ queue: MessageQueue) -> ProcessQueue? { processQueues.withLock { $0[queue] } }

    /// Rebalances every subscribed topic. `orderly` consumers lock a queue before taking it.
    func doRebalance(orderly: Bool, delegate: any RebalanceDelegate) async {
        let start = running.withLock { r -> Bool in
            if r.active {
                r.pending = true
                return false
            }
            r.active = true
            r.pending = false
            return true
        }
        guard start else { return }
        while true {
            let topics = subscriptions.withLock { Array($0.keys).sorted() }
            for topic in topics { await rebalance(topic: topic, orderly: orderly, delegate: delegate) }
            await truncateUnsubscribed(delegate: delegate)
            let again = running.withLock { r -> Bool in
                if r.pending {
                    r.pending = false
                    return true
                }
                r.active = false
                return false
            }
            if !again { return }
        }
    }

    private func rebalance(topic: String, orderly: Bool, delegate: any RebalanceDelegate) async {
        guard let mqSet = await instance.subscribeQueues(topic) else {
            if !MixAll.isRetryTopic(topic) {
                logger.warning("no route for a subscribed topic", metadata: ["rocketmq.topic": "\(topic)"])
            }
            return
        }
        let allocated: Set<MessageQueue>
        switch messageModel {
        case .broadcasting:
            allocated = mqSet
        case .clustering:
            let cidAll = await instance.consumerIDList(topic: topic, group: group).sorted()
            guard !cidAll.isEmpty else {
                logger.info("no consumer ids yet", metadata: ["rocketmq.group": "\(group)", "rocketmq.topic": "\(topic)"])
                return
            }
            let mqAll = mqSet.sorted()
            allocated = Set(strategy.allocate(consumerGroup: group, currentCID: instance.clientID, mqAll: mqAll,
                                              cidAll: cidAll))
        }
        await updateProcessQueueTable(topic: topic, allocated: allocated, orderly: orderly, delegate: delegate)
    }

    /// Drops queues no longer assigned (or stale), adds new ones (Java `updateProcessQueueTableInRebalance`).
    func updateProcessQueueTable(topic: String, allocated: Set<MessageQueue>, orderly: Bool,
                                 delegate: any RebalanceDelegate) async {
        let current = processQueues.withLock { $0.filter { $0.key.topic == topic } }
        for (queue, pq) in current where !allocated.contains(queue) {
            pq.markDropped()
            if await delegate.removeUnnecessaryMessageQueue(queue, pq) {
                processQueues.withLock { _ = $0.removeValue(forKey: queue) }
                logger.info("queue released", metadata: ["queue": "\(queue)"])
            }
        }
        var requests: [(queue: MessageQueue, processQueue: ProcessQueue, nextOffset: Int64)] = []
        for queue in allocated.sorted() where current[queue] == nil {
            let pq = ProcessQueue()
            if orderly && messageModel == .clustering {
                guard await lock(queue) else {
                    logger.info("queue not locked yet; retry at next rebalance", metadata: ["queue": "\(queue)"])
                    continue
                }
                pq.setLocked(true)
            }
            let offset = await delegate.computePullFromWhere(queue)
            guard offset >= 0 else {
                logger.warning("cannot compute the start offset", metadata: ["queue": "\(queue)"])
                continue
            }
            let inserted = processQueues.withLock { t -> Bool in
                if t[queue] != nil { return false }
                t[queue] = pq
                return true
            }
            if inserted { requests.append((queue, pq, offset)) }
        }
        if !requests.isEmpty {
            logger.info("queues assigned", metadata: ["rocketmq.topic": "\(topic)", "count": "\(requests.count)"])
            delegate.dispatchPullRequests(requests)
        }
    }

    private func truncateUnsubscribed(delegate: any RebalanceDelegate) async {
        let topics = subscriptions.withLock { Set($0.keys) }
        let stale = processQueues.withLock { $0.filter { !topics.contains($0.key.topic) } }
        for (queue, pq) in stale {
            pq.markDropped()
            if await delegate.removeUnnecessaryMessageQueue(queue, pq) {
                processQueues.withLock { _ = $0.removeValue(forKey: queue) }
            }
        }
    }

    /// Removes every queue (shutdown).
    func dropAll() -> [MessageQueue: ProcessQueue] {
        processQueues.withLock { t in
            let all = t
            t.removeAll()
            for pq in all.values { pq.markDropped() }
            return all
        }
    }

    // MARK: Orderly locks

    /// LOCK_BATCH_MQ for one queue.
    func lock(_ queue: MessageQueue) async -> Bool {
        guard let address = await instance.masterAddress(queue.brokerName, topic: queue.topic) else { return false }
        do {
            let locked = try await instance.api.lockBatch(address: address, group: group, clientID: instance.clientID,
                                                          queues: [queue])
            return locked.contains(queue)
        } catch {
            logger.info("lock failed", metadata: ["queue": "\(queue)", "error": "\(error)"])
            return false
        }
    }

    /// Re-locks every assigned queue, broker by broker (every 20 s, Java `lockAll`).
    func lockAll() async {
        let table = processQueues.withLock { $0 }
        let byBroker = Dictionary(grouping: table.keys, by: \.brokerName)
        for (brokerName, queues) in byBroker {
            guard let address = instance.masterAddress(brokerName) else { continue }
            let locked: Set<MessageQueue>
            do {
                locked = try await instance.api.lockBatch(address: address, group: group, clientID: instance.clientID,
                                                          queues: queues.sorted())
            } catch {
                continue
            }
            for queue in queues { table[queue]?.setLocked(locked.contains(queue)) }
        }
    }

    /// UNLOCK_BATCH_MQ for the given queues (shutdown, or a released queue).
    func unlock(_ queues: [MessageQueue]) async {
        for (brokerName, list) in Dictionary(grouping: queues, by: \.brokerName) {
            guard let address = instance.masterAddress(brokerName) else { continue }
            try? await instance.api.unlockBatch(address: address, group: group, clientID: instance.clientID,
                                                queues: list.sorted())
        }
    }
}
