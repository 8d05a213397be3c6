//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQRemoting

/// Where `readOffset` looks (Java `ReadOffsetType`).
public enum ReadOffsetType: Sendable {
    case readFromMemory
    case readFromStore
    case memoryFirstThenStore
}

/// Consumer progress per queue (Java `OffsetStore`): broker-side for clustering, a local file for
/// broadcasting. Offsets are "next offset to consume".
protocol OffsetStore: Sendable {
    func load()
    func updateOffset(_ queue: MessageQueue, _ offset: Int64, increaseOnly: Bool)
    /// -1 when no offset is stored anywhere, -2 (or less) when the store could not be read.
    func readOffset(_ queue: MessageQueue, _ type: ReadOffsetType) async -> Int64
    func persistAll(_ queues: Set<MessageQueue>) async
    func persist(_ queue: MessageQueue) async
    func removeOffset(_ queue: MessageQueue)
    func offsetTable() -> [MessageQueue: Int64]
}
