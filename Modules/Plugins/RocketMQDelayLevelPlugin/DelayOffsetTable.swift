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
            Self.offsets(json: try JSONParser.parse(text))
        }) else { return }
        if from != path { logger.warning("delayOffset.json was unreadable; loaded \(from)") }
        table.withLock { $0 = value }
    }

    static func offsets(json: JSONValue) -> [Int: Int64] {
        var t: [Int: Int64] = [:]
        for (k, v) in json["offsetTable"]?.objectValue ?? [] { if let l = Int(k), let o = v.int64Value { t[l] = o } }
        return t
    }

    /// The file's JSON, as GET_ALL_DELAY_OFFSET (45) answers it.
    var json: String {
        let t = table.withLock { $0 }
        return JSONWriter.string(
            .object([("offsetTable", .object(t.sorted { $0.key < $1.key }.map { (String($0.key), .int($0.value)) }))]))
    }

    /// A slave takes its master's progress (Java `syncDelayOffset`) and persists it.
    func replace(withJSON text: String) {
        guard let json = try? JSONParser.parse(text) else {
            logger.warning("delay offsets from master are not JSON; kept the local ones")
            return
        }
        let offsets = Self.offsets(json: json)
        table.withLock { $0 = offsets }
        persist()
    }

    func offset(level: Int) -> Int64 { table.withLock { $0[level] ?? 0 } }
    func set(level: Int, offset: Int64) { table.withLock { $0[level] = offset } }

    func persist() {
        do { try FileIO.writeAtomically(self.json, to: path) } catch { logger.error("persist delayOffset.json failed: \(error)") }
    }

    func describe() -> String { table.withLock { $0 }.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",") }
}
