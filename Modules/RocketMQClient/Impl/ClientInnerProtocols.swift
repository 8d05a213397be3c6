//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting

/// What the shared ``MQClientInstance`` needs from a producer registered with it (Java `MQProducerInner`).
protocol MQProducerInner: AnyObject, Sendable {
    var producerGroup: String { get }
    /// Answers a broker's CHECK_TRANSACTION_STATE; only transaction producers do anything.
    func checkTransactionState(brokerAddress: String, message: MessageExt, header: CheckTransactionStateRequestHeader)
        async
}

/// What the shared ``MQClientInstance`` needs from a consumer registered with it (Java `MQConsumerInner`).
protocol MQConsumerInner: AnyObject, Sendable {
    var consumerGroup: String { get }
    /// The heartbeat entry for this consumer (group, model, subscriptions).
    func consumerData() -> ConsumerData
    /// Topics whose routes the instance must keep fresh.
    func subscribedTopics() -> [String]
    /// Re-assigns queues (periodically and on NOTIFY_CONSUMER_IDS_CHANGED).
    func doRebalance() async
    /// Persists consumer offsets (periodically and at shutdown).
    func persistConsumerOffset() async
    /// RESET_CONSUMER_CLIENT_OFFSET from a broker.
    func resetOffset(topic: String, offsets: [MessageQueue: Int64]) async
    /// Properties for GET_CONSUMER_RUNNING_INFO.
    func runningInfoProperties() -> [String: String]
    /// CONSUME_MESSAGE_DIRECTLY: runs the listener on one message and reports the outcome.
    func consumeMessageDirectly(_ message: MessageExt, brokerName: String?) async -> (result: String, remark: String?)
}

/// A topic's writable queues as a producer sees them (Java `TopicPublishInfo`).
struct TopicPublishInfo: Sendable {
    var orderTopic: Bool
    var messageQueues: [MessageQueue]
    var route: TopicRouteData

    var ok: Bool { !messageQueues.isEmpty }

    /// Writable queues of master brokers, queue ids `0..<writeQueueNums`, brokers sorted by name.
    init(topic: String, route: TopicRouteData) {
        self.route = route
        var queues: [MessageQueue] = []
        if let conf = route.orderTopicConf, !conf.isEmpty {
            // "broker-a:4;broker-b:4": ordered topics list their brokers explicitly.
            for item in conf.split(separator: ";") {
                let parts = item.split(separator: ":")
                guard parts.count == 2, let n = Int32(parts[1]) else { continue }
                for i in 0..<max(0, n) { queues.append(MessageQueue(topic: topic, brokerName: String(parts[0]), queueID: i)) }
            }
            self.orderTopic = true
        } else {
            for queueData in route.queueDatas.sorted(by: { $0.brokerName < $1.brokerName })
            where PermName.isWriteable(queueData.perm) {
                guard let broker = route.brokerDatas.first(where: { $0.brokerName == queueData.brokerName }),
                      broker.brokerAddrs[MixAll.masterID] != nil
                else { continue }
                for i in 0..<max(0, queueData.writeQueueNums) {
                    queues.append(MessageQueue(topic: topic, brokerName: queueData.brokerName, queueID: i))
                }
            }
            self.orderTopic = false
        }
        self.messageQueues = queues
    }

    /// Readable queues, queue ids `0..<readQueueNums` (Java `topicRouteData2TopicSubscribeInfo`).
    static func subscribeQueues(topic: String, route: TopicRouteData) -> Set<MessageQueue> {
        var result = Set<MessageQueue>()
        for queueData in route.queueDatas where PermName.isReadable(queueData.perm) {
            for i in 0..<max(0, queueData.readQueueNums) {
                result.insert(MessageQueue(topic: topic, brokerName: queueData.brokerName, queueID: i))
            }
        }
        return result
    }
}
