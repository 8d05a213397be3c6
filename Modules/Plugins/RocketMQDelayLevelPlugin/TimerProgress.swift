//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import Synchronization

/// What the timer has delivered, persisted in `timerProgress.json`: every timer-queue offset below
/// `watermark` is delivered, plus the delivered offsets above it. Deliveries are out of order (by due
/// time), so the set keeps what the watermark cannot say yet.
final class TimerProgress: Sendable {
    struct State: Sendable {
        var watermark: Int64 = 0
        var delivered: Set<Int64> = []
        var dirty = false
    }
    let path: String
    let logger: Logger
    private let state = Mutex(State())

    init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    func load() {
        guard let (value, from) = FileIO.loadWithBackup(path, parse: { text -> State in
            let json = try JSONParser.parse(text)
            var s = State()
            s.watermark = json["watermark"]?.int64Value ?? 0
            s.delivered = Set((json["delivered"]?.arrayValue ?? []).compactMap(\.int64Value))
            return s
        }) else { return }
        if from != path { logger.warning("timerProgress.json was unreadable; loaded \(from)") }
        state.withLock { $0 = value }
    }

    var watermark: Int64 { state.withLock { $0.watermark } }
    func isDelivered(_ offset: Int64) -> Bool { state.withLock { offset < $0.watermark || $0.delivered.contains(offset) } }

    func markDelivered(_ offset: Int64) {
        state.withLock { s in
            s.delivered.insert(offset)
            while s.delivered.remove(s.watermark) != nil { s.watermark += 1 }
            s.dirty = true
        }
    }

    /// Offsets the watermark may skip (gaps from unreadable records).
    func advanceWatermark(to offset: Int64) {
        state.withLock { s in
            if offset > s.watermark {
                s.watermark = offset
                s.delivered = s.delivered.filter { $0 >= offset }
                s.dirty = true
            }
        }
    }

    func persistIfDirty() {
        let snapshot = state.withLock { s -> State? in
            guard s.dirty else { return nil }
            s.dirty = false
            return s
        }
        guard let s = snapshot else { return }
        let json = JSONValue.object([("delivered", .array(s.delivered.sorted().map { .int($0) })), ("watermark", .int(s.watermark))])
        do { try FileIO.writeAtomically(JSONWriter.string(json), to: path) } catch {
            logger.error("persist timerProgress.json failed: \(error)")
        }
    }
}
