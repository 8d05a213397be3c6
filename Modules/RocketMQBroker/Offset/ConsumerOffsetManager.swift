//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import Synchronization

/// Committed consumer offsets, keyed `topic@group` → queue id → offset (Java `ConsumerOffsetManager`),
/// persisted to `consumerOffset.json` every few seconds and at shutdown.
public final class ConsumerOffsetManager: Sendable {
    private let table = Mutex<[String: [Int32: Int64]]>([:])
    private let dirty = Atomic<Bool>(false)
    let persistence: ConfigPersistence

    init(path: String, logger: Logger) { self.persistence = ConfigPersistence(path: path, logger: logger) }

    static func key(topic: String, group: String) -> String { topic + "@" + group }

    func load() {
        guard let t = persistence.load(Self.offsetTable(json:)) else { return }
        table.withLock { $0 = t }
    }

    /// `{"offsetTable": {"topic@group": {"0": 12}}}`, as consumerOffset.json and GET_ALL_CONSUMER_OFFSET hold it.
    static func offsetTable(json: JSONValue) -> [String: [Int32: Int64]] {
        var result: [String: [Int32: Int64]] = [:]
        for (key, queues) in json["offsetTable"]?.objectValue ?? [] {
            var m: [Int32: Int64] = [:]
            for (q, o) in queues.objectValue ?? [] { if let qi = Int32(q), let ov = o.int64Value { m[qi] = ov } }
            result[key] = m
        }
        return result
    }

    /// A slave overlays its master's offsets on its own (Java `syncConsumerOffset`: `putAll`).
    func mergeFromMaster(_ offsets: [String: [Int32: Int64]]) {
        guard !offsets.isEmpty else { return }
        table.withLock { t in
            for (key, queues) in offsets { t[key] = queues }
        }
        dirty.store(true, ordering: .releasing)
    }

    public func commitOffset(group: String, topic: String, queueID: Int32, offset: Int64) {
        table.withLock { $0[Self.key(topic: topic, group: group), default: [:]][queueID] = offset }
        dirty.store(true, ordering: .releasing)
    }

    /// -1 when the group never committed this queue.
    public func queryOffset(group: String, topic: String, queueID: Int32) -> Int64 {
        table.withLock { $0[Self.key(topic: topic, group: group)]?[queueID] } ?? -1
    }

    public func offsets(group: String, topic: String) -> [Int32: Int64] {
        table.withLock { $0[Self.key(topic: topic, group: group)] ?? [:] }
    }

    /// Topics a group has offsets for.
    public func topics(ofGroup group: String) -> [String] {
        table.withLock { t in t.keys.compactMap { k in
            let parts = k.split(separator: "@", maxSplits: 1)
            return parts.count == 2 && parts[1] == group ? String(parts[0]) : nil
        } }
    }

    /// Groups that have offsets for a topic.
    public func groups(ofTopic topic: String) -> [String] {
        table.withLock { t in t.keys.compactMap { k in
            let parts = k.split(separator: "@", maxSplits: 1)
            return parts.count == 2 && parts[0] == topic ? String(parts[1]) : nil
        } }
    }

    public func removeGroup(_ group: String) {
        table.withLock { t in for k in Array(t.keys) where k.hasSuffix("@" + group) { t.removeValue(forKey: k) } }
        dirty.store(true, ordering: .releasing)
    }

    public func removeTopic(_ topic: String) {
        table.withLock { t in for k in Array(t.keys) where k.hasPrefix(topic + "@") { t.removeValue(forKey: k) } }
        dirty.store(true, ordering: .releasing)
    }

    public var snapshot: [String: [Int32: Int64]] { table.withLock { $0 } }

    /// Writes the file if anything changed since the last write (or always when `force`).
    func persist(force: Bool = false) {
        guard dirty.exchange(false, ordering: .acquiringAndReleasing) || force else { return }
        let t = snapshot
        let json = JSONValue.object([("offsetTable", .object(t.sorted { $0.key < $1.key }.map { k, v in
            (k, .object(v.sorted { $0.key < $1.key }.map { (String($0.key), .int($0.value)) }))
        }))])
        persistence.save(json)
    }
}
