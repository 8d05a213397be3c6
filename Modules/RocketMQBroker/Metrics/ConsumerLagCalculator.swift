//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQStore

/// Consumer lag at scrape time (upstream `ConsumerLagCalculator`), per (group, topic), summed over the
/// topic's queues:
/// - lag: max offset − committed offset (`rocketmq_consumer_lag_messages`);
/// - lag latency: now − store time of the oldest unconsumed message, 0 without lag;
/// - in flight: pulled but not committed (pull offset − committed offset);
/// - ready: stored but not yet pulled (max offset − max(pull offset, committed offset)).
///
/// Groups are the ones with committed offsets plus the online clustering consumers' subscriptions; a
/// queue without a committed offset counts from its min offset, so a new group shows its whole backlog.
struct ConsumerLagCalculator {
    struct Result {
        var group: String
        var topic: String
        var lag: Int64 = 0
        var lagLatencyMillis: Int64 = 0
        var inflight: Int64 = 0
        var ready: Int64 = 0
        var isRetry: Bool { MixAll.isRetryTopic(topic) }
    }

    let broker: BrokerController

    func calculate(pullOffsets: [BrokerMetrics.QueueKey: Int64], now: Int64 = Clock.millis()) -> [Result] {
        let store = broker.store
        var pairs = Set<BrokerMetrics.OutKey>()
        let committed = broker.consumerOffsetManager.snapshot
        for key in committed.keys {
            guard let at = key.firstIndex(of: "@") else { continue }
            pairs.insert(BrokerMetrics.OutKey(topic: String(key[..<at]), group: String(key[key.index(after: at)...])))
        }
        for (group, info) in broker.consumerManager.allGroups where info.messageModel == .clustering {
            for topic in info.subscriptions.keys { pairs.insert(BrokerMetrics.OutKey(topic: topic, group: group)) }
        }
        var results: [Result] = []
        for pair in pairs.sorted(by: { ($0.group, $0.topic) < ($1.group, $1.topic) }) {
            guard broker.topicConfigManager.select(pair.topic) != nil else { continue }
            let offsets = committed[ConsumerOffsetManager.key(topic: pair.topic, group: pair.group)] ?? [:]
            var result = Result(group: pair.group, topic: pair.topic)
            var earliest: Int64 = 0
            for queueID in store.queueIDs(ofTopic: pair.topic) {
                let maxOffset = store.maxOffsetInQueue(topic: pair.topic, queueID: queueID)
                let consumed = max(offsets[queueID] ?? store.minOffsetInQueue(topic: pair.topic, queueID: queueID), 0)
                let pulled = max(
                    pullOffsets[BrokerMetrics.QueueKey(group: pair.group, topic: pair.topic, queueID: queueID)]
                        ?? consumed,
                    consumed
                )
                guard maxOffset > consumed else { continue }
                result.lag += maxOffset - consumed
                result.inflight += min(pulled, maxOffset) - consumed
                result.ready += max(0, maxOffset - pulled)
                let stored = store.messageStoreTimestamp(
                    topic: pair.topic,
                    queueID: queueID,
                    consumeQueueOffset: consumed
                )
                if stored > 0 && (earliest == 0 || stored < earliest) { earliest = stored }
            }
            if earliest > 0 { result.lagLatencyMillis = max(0, now - earliest) }
            results.append(result)
        }
        return results
    }
}
