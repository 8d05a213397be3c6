//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting
import Synchronization

/// Broadcasting offsets kept on this machine (Java `LocalFileOffsetStore`).
///
/// File: `<base>/<clientId>/<group>/offsets.json`, base `~/.rocketmq_offsets` (Java property
/// `rocketmq.client.localOffsetStoreDir`; here the `ROCKETMQ_CLIENT_LOCAL_OFFSET_STORE_DIR` env var).
/// Content is Java's `OffsetSerializeWrapper` shape: `{"offsetTable":{"<MessageQueue JSON>":offset}}`.
/// Written atomically (with a `.bak`) every persist interval and at shutdown.
final class LocalFileOffsetStore: OffsetStore {
    let path: String
    private let table = Mutex<[MessageQueue: Int64]>([:])

    init(clientID: String, group: String, baseDirectory: String? = nil) {
        let base = baseDirectory ?? getenvString("ROCKETMQ_CLIENT_LOCAL_OFFSET_STORE_DIR")
            ?? ((getenvString("HOME") ?? ".") + "/.rocketmq_offsets")
        self.path = "\(base)/\(clientID)/\(group)/offsets.json"
    }

    func load() {
        guard let loaded = FileIO.loadWithBackup(path, parse: { text in
            ResetOffsetBody(json: try JSONParser.parse(text)).offsetTable
        }) else { return }
        table.withLock { $0 = loaded.value }
    }

    func updateOffset(_ queue: MessageQueue, _ offset: Int64, increaseOnly: Bool) {
        table.withLock { t in
            if increaseOnly, let old = t[queue], old >= offset { return }
            t[queue] = offset
        }
    }

    func readOffset(_ queue: MessageQueue, _ type: ReadOffsetType) async -> Int64 {
        if type != .readFromStore, let value = table.withLock({ $0[queue] }) { return value }
        if type == .readFromMemory { return -1 }
        guard let loaded = FileIO.loadWithBackup(path, parse: { text in
            ResetOffsetBody(json: try JSONParser.parse(text)).offsetTable
        }), let offset = loaded.value[queue] else { return -1 }
        updateOffset(queue, offset, increaseOnly: false)
        return offset
    }

    func persistAll(_ queues: Set<MessageQueue>) async {
        let snapshot = table.withLock { $0 }
        guard !snapshot.isEmpty else { return }
        let text = JSONWriter.string(ResetOffsetBody(offsetTable: snapshot).toJSON(forC: false))
        try? FileIO.writeAtomically(text, to: path)
    }

    func persist(_ queue: MessageQueue) async { await persistAll([queue]) }

    func removeOffset(_ queue: MessageQueue) {}

    func offsetTable() -> [MessageQueue: Int64] { table.withLock { $0 } }
}
