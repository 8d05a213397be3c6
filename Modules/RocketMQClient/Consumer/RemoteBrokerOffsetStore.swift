//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import RocketMQRemoting
import Synchronization

/// Clustering offsets kept by the broker (Java `RemoteBrokerOffsetStore`).
///
/// The in-memory table (a `Mutex`) is what pulls piggyback as `commitOffset`; `persistAll` sends
/// UPDATE_CONSUMER_OFFSET (oneway, as Java) to each queue's master every 5 s and at shutdown.
final class RemoteBrokerOffsetStore: OffsetStore {
    let instance: MQClientInstance
    let group: String
    private let table = Mutex<[MessageQueue: Int64]>([:])

    init(instance: MQClientInstance, group: String) {
        self.instance = instance
        self.group = group
    }

    func load() {}

    func updateOffset(_ queue: MessageQueue, _ offset: Int64, increaseOnly: Bool) {
        table.withLock { t in
            if increaseOnly, let old = t[queue], old >= offset { return }
            t[queue] = offset
        }
    }

    func readOffset(_ queue: MessageQueue, _ type: ReadOffsetType) async -> Int64 {
        if type != .readFromStore, let value = table.withLock({ $0[queue] }) { return value }
        if type == .readFromMemory { return -1 }
        guard let address = await instance.masterAddress(queue.brokerName, topic: queue.topic) else { return -2 }
        do {
            guard let offset = try await instance.api.queryConsumerOffset(address: address, group: group, queue: queue)
            else { return -1 }
            updateOffset(queue, offset, increaseOnly: false)
            return offset
        } catch {
            if case .broker = error { return -1 }
            instance.logger.info("query consumer offset failed", metadata: ["error": "\(error)"])
            return -2
        }
    }

    func persistAll(_ queues: Set<MessageQueue>) async {
        let snapshot = table.withLock { $0 }
        for (queue, offset) in snapshot.sorted(by: { $0.key < $1.key }) where queues.contains(queue) {
            await update(queue, offset)
        }
    }

    func persist(_ queue: MessageQueue) async {
        if let offset = table.withLock({ $0[queue] }) { await update(queue, offset) }
    }

    private func update(_ queue: MessageQueue, _ offset: Int64) async {
        guard let address = await instance.masterAddress(queue.brokerName, topic: queue.topic) else { return }
        do {
            try await instance.api.updateConsumerOffsetOneway(address: address, group: group, queue: queue,
                                                              offset: offset)
        } catch {
            instance.logger.info("update consumer offset failed", metadata: ["error": "\(error)"])
        }
    }

    func removeOffset(_ queue: MessageQueue) { table.withLock { _ = $0.removeValue(forKey: queue) } }

    func offsetTable() -> [MessageQueue: Int64] { table.withLock { $0 } }
}
