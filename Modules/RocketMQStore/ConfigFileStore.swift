//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import Logging

/// Crash-safe persistence of the broker's JSON config files (Java `ConfigManager` + `MixAll.string2File`).
///
/// ``persist(_:to:)`` writes `<path>.tmp`, fsyncs it, keeps the previous version as `<path>.bak`
/// (hard link, so the main file never disappears) and renames the temp file over `<path>`.
/// ``load(_:parse:)`` falls back to `<path>.bak` when the main file is missing or the caller's
/// parser rejects it. Blocking: call from a thread that may block, not an event loop.
public struct ConfigFileStore: Sendable {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Atomically replaces `path` with `text`, keeping the previous content as `path.bak`.
    public func persist(_ text: String, to path: String) throws(StoreError) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if !directory.isEmpty { try MappedFileQueue.makeDirectory(directory) }
        let tmp = path + ".tmp"
        let fd = open(tmp, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.io(operation: "open", path: tmp, errno: errno) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return write(fd, base + written, raw.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                close(fd)
                throw StoreError.io(operation: "write", path: tmp, errno: e)
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            let e = errno
            close(fd)
            throw StoreError.io(operation: "fsync", path: tmp, errno: e)
        }
        close(fd)
        if access(path, F_OK) == 0 {
            let bakTmp = path + ".bak.tmp"
            unlink(bakTmp)
            if link(path, bakTmp) == 0 {
                rename(bakTmp, path + ".bak")
            }
        }
        guard rename(tmp, path) == 0 else { throw StoreError.io(operation: "rename", path: path, errno: errno) }
        if !directory.isEmpty {
            let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dfd >= 0 {
                _ = fsync(dfd)
                close(dfd)
            }
        }
    }

    /// Reads a whole file as UTF-8 (nil when missing or unreadable).
    public static func readText(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Parses `path`, or `path.bak` when the main file is missing, empty or rejected by `parse`.
    ///
    /// - Returns: nil when neither file parses (a fresh broker).
    public func load<T>(_ path: String, parse: (String) throws -> T) -> T? {
        if let text = Self.readText(path), !text.isEmpty {
            do {
                return try parse(text)
            } catch {
                self.logger.warning(
                    "config file is corrupt; trying its backup", metadata: ["path": "\(path)", "error": "\(error)"])
            }
        } else {
            self.logger.info("config file missing; trying its backup", metadata: ["path": "\(path)"])
        }
        guard let text = Self.readText(path + ".bak"), !text.isEmpty else { return nil }
        do {
            let value = try parse(text)
            self.logger.warning("loaded config from backup", metadata: ["path": "\(path).bak"])
            return value
        } catch {
            self.logger.error("config backup is corrupt too", metadata: ["path": "\(path).bak", "error": "\(error)"])
            return nil
        }
    }
}
