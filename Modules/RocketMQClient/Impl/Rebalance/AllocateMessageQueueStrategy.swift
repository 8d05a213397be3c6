//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQRemoting

/// Decides which queues one member of a clustering group consumes (Java `AllocateMessageQueueStrategy`).
///
/// Every member runs the same function over the same sorted inputs, so the results partition the
/// queues without coordination. Invalid input (empty lists, unknown member) yields no queues.
public protocol AllocateMessageQueueStrategy: Sendable {
    var name: String { get }
    /// - Parameters:
    ///   - mqAll: all queues of the topic, sorted.
    ///   - cidAll: all client ids of the group, sorted.
    func allocate(consumerGroup: String, currentCID: String, mqAll: [MessageQueue], cidAll: [String]) -> [MessageQueue]
}

extension AllocateMessageQueueStrategy {
    /// Upstream's argument check; false means "allocate nothing".
    func isValid(currentCID: String, mqAll: [MessageQueue], cidAll: [String]) -> Bool {
        !currentCID.isEmpty && !mqAll.isEmpty && !cidAll.isEmpty && cidAll.contains(currentCID)
    }
}

/// Contiguous blocks, the first `mq % cid` members getting one extra (Java `AllocateMessageQueueAveragely`).
public struct AllocateMessageQueueAveragely: AllocateMessageQueueStrategy {
    public init() {}
    public var name: String { "AVG" }

    public func allocate(consumerGroup: String, currentCID: String, mqAll: [MessageQueue], cidAll: [String])
        -> [MessageQueue]
    {
        guard isValid(currentCID: currentCID, mqAll: mqAll, cidAll: cidAll),
              let index = cidAll.firstIndex(of: currentCID)
        else { return [] }
        let mod = mqAll.count % cidAll.count
        let averageSize: Int
        if mqAll.count <= cidAll.count {
            averageSize = 1
        } else if mod > 0 && index < mod {
            averageSize = mqAll.count / cidAll.count + 1
        } else {
            averageSize = mqAll.count / cidAll.count
        }
        let startIndex = (mod > 0 && index < mod) ? index * averageSize : index * averageSize + mod
        let range = min(averageSize, mqAll.count - startIndex)
        guard range > 0 else { return [] }
        return (0..<range).map { mqAll[(startIndex + $0) % mqAll.count] }
    }
}

/// Round robin: queue i goes to member i mod n (Java `AllocateMessageQueueAveragelyByCircle`).
public struct AllocateMessageQueueAveragelyByCircle: AllocateMessageQueueStrategy {
    public init() {}
    public var name: String { "AVG_BY_CIRCLE" }

    public func allocate(consumerGroup: String, currentCID: String, mqAll: [MessageQueue], cidAll: [String])
        -> [MessageQueue]
    {
        guard isValid(currentCID: currentCID, mqAll: mqAll, cidAll: cidAll),
              let index = cidAll.firstIndex(of: currentCID)
        else { return [] }
        var result: [MessageQueue] = []
        var i = index
        while i < mqAll.count {
            if i % cidAll.count == index { result.append(mqAll[i]) }
            i += 1
        }
        return result
    }
}

/// A fixed list, whatever the group looks like (Java `AllocateMessageQueueByConfig`).
public struct AllocateMessageQueueByConfig: AllocateMessageQueueStrategy {
    public var messageQueueList: [MessageQueue]
    public init(messageQueueList: [MessageQueue]) { self.messageQueueList = messageQueueList }
    public var name: String { "CONFIG" }

    public func allocate(consumerGroup: String, currentCID: String, mqAll: [MessageQueue], cidAll: [String])
        -> [MessageQueue]
    {
        messageQueueList
    }
}
