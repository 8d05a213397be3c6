//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon

/// Loads and saves one JSON config file (topics.json, consumerOffset.json, …) atomically with a `.bak`.
struct ConfigPersistence: Sendable {
    let path: String
    let logger: Logger

    /// Parses the file, falling back to `.bak` when the main copy is missing or corrupt.
    func load<T>(_ parse: (JSONValue) throws -> T) -> T? {
        guard let (value, from) = FileIO.loadWithBackup(path, parse: { text in try parse(try JSONParser.parse(text)) }) else {
            if FileIO.exists(path) { logger.error("config file \(path) and its .bak are unreadable; starting empty") }
            return nil
        }
        if from != path { logger.warning("config file \(path) was corrupt; loaded \(from)") }
        return value
    }

    func save(_ json: JSONValue) {
        do { try FileIO.writeAtomically(JSONWriter.string(json), to: path) } catch {
            logger.error("persist \(path) failed: \(error)")
        }
    }
}
