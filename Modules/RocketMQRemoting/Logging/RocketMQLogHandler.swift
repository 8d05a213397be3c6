//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Writes log lines to a file under `~/logs/rocketmqlogs` (or `ROCKETMQ_LOG_DIR`) and optionally stdout,
/// as upstream's logback setup does for namesrv.log and broker.log.
public struct RocketMQLogHandler: LogHandler {
    final class Sink: Sendable {
        let fd: Int32
        let echo: Bool
        let lock = Mutex<Void>(())
        init(fd: Int32, echo: Bool) {
            self.fd = fd
            self.echo = echo
        }
        func write(_ line: String) {
            var bytes = Array(line.utf8)
            bytes.append(0x0A)
            lock.withLock { _ in
                if fd >= 0 { _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } }
                if echo { _ = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress, $0.count) } }
            }
        }
    }

    let label: String
    let sink: Sink
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// The directory logs go to: `ROCKETMQ_LOG_DIR` or `~/logs/rocketmqlogs`.
    public static var logDirectory: String {
        getenvString("ROCKETMQ_LOG_DIR").flatMap { $0.isEmpty ? nil : $0 } ?? expandTilde("~/logs/rocketmqlogs")
    }

    private static let bootstrapped = Mutex<String?>(nil)

    /// Installs the handler process-wide, once (swift-log allows one bootstrap; later calls keep the first
    /// file, e.g. `mqbroker --standalone` logs its name server to broker.log). Returns the log file path.
    @discardableResult
    public static func bootstrap(fileName: String, echoToStdout: Bool, level: Logger.Level = .info) -> String {
        let dir = logDirectory
        if let existing = bootstrapped.withLock({ $0 }) { return existing }
        bootstrapped.withLock { $0 = dir + "/" + fileName }
        try? FileIO.makeDirectories(dir)
        let path = dir + "/" + fileName
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        let sink = Sink(fd: fd, echo: echoToStdout)
        LoggingSystem.bootstrap { label in
            var h = RocketMQLogHandler(label: label, sink: sink)
            h.logLevel = level
            return h
        }
        return path
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let meta = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        sink.write("\(Self.timestamp()) \(event.level.rawValue.uppercased()) \(label) - \(event.message)\(meta)")
    }

    static func timestamp() -> String {
        let ms = Clock.millis()
        var t = time_t(ms / 1000)
        var tmValue = tm()
        localtime_r(&t, &tmValue)
        func pad(_ v: Int32, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(tmValue.tm_year + 1900)-\(pad(tmValue.tm_mon + 1, 2))-\(pad(tmValue.tm_mday, 2)) \(pad(tmValue.tm_hour, 2)):\(pad(tmValue.tm_min, 2)):\(pad(tmValue.tm_sec, 2)),\(pad(Int32(ms % 1000), 3))"
    }
}
