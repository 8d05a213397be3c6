//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import Synchronization

/// Next schedule-queue offset to deliver, per delay level; `delayOffset.json` as upstream
/// (`{"offsetTable":{1:0,2:0,…}}`), written atomically with a `.bak`.
final class DelayOffsetTable: Sendable {
    let path: String
    let logger: Logger
    private let table = Mutex<[Int: Int64]>([:])

    init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    func load() {
        guard let (value, from) = FileIO.loadWithBackup(path, parse: { text -> [Int: Int64] in
            let json = try JSONParser.parse(text)
            var t: [Int: Int64] = [:]
            for (k, v) in json["offsetTable"]?.objectValue ?? [] { if let l = Int(k), let o = v.int64Value { t[l] = o } }
            return t
        }) else { return }
        if from != path { logger.warning("delayOffset.json was unreadable; loaded \(from)") }
        table.withLock { $0 = value }
    }

    func offset(level: Int) -> Int64 { table.withLock { $0[level] ?? 0 } }
    func set(level: Int, offset: Int64) { table.withLock { $0[level] = offset } }

    func persist() {
        let t = table.withLock { $0 }
        let json = JSONValue.object([("offsetTable", .object(t.sorted { $0.key < $1.key }.map { (String($0.key), .int($0.value)) }))])
        do { try FileIO.writeAtomically(JSONWriter.string(json), to: path) } catch { logger.error("persist delayOffset.json failed: \(error)") }
    }

    func describe() -> String { table.withLock { $0 }.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",") }
}
