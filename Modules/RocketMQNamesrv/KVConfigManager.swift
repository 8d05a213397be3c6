//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import RocketMQRemoting
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Namespaced key/value settings, persisted to `kvConfig.json` (Java `KVConfigManager`).
public final class KVConfigManager: Sendable {
    let path: String
    let logger: Logger
    private let table = Mutex<[String: [String: String]]>([:])

    public init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    /// Loads the file; a missing file is an empty table, a corrupt one falls back to its `.bak`.
    public func load() {
        for candidate in [path, path + ".bak"] {
            guard let text = FileIO.readString(candidate) else { continue }
            do {
                let json = try JSONParser.parse(text)
                var t: [String: [String: String]] = [:]
                for (ns, v) in json["configTable"]?.objectValue ?? [] {
                    var m: [String: String] = [:]
                    for (k, s) in v.objectValue ?? [] { m[k] = s.stringValue }
                    t[ns] = m
                }
                table.withLock { $0 = t }
                if candidate != path { logger.warning("kv config \(path) was unreadable; loaded \(candidate)") }
                return
            } catch {
                logger.warning("kv config \(candidate) is corrupt: \(error)")
            }
        }
    }

    public func put(namespace: String, key: String, value: String) {
        table.withLock { $0[namespace, default: [:]][key] = value }
        persist()
    }

    public func delete(namespace: String, key: String) {
        table.withLock { _ = $0[namespace]?.removeValue(forKey: key) }
        persist()
    }

    public func get(namespace: String, key: String) -> String? { table.withLock { $0[namespace]?[key] } }

    public func list(namespace: String) -> [String: String]? { table.withLock { $0[namespace] } }

    func persist() {
        let snapshot = table.withLock { $0 }
        let json = JSONValue.object([("configTable", .object(snapshot.sorted { $0.key < $1.key }.map { ns in
            (ns.key, .object(ns.value.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        }))])
        do { try FileIO.writeAtomically(JSONWriter.string(json), to: path) } catch {
            logger.error("persist kv config failed: \(error)")
        }
    }
}
