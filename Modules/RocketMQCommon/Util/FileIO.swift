//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file-system failure with the path and errno text.
public struct FileIOError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): \(reason)" }
}

/// Small, Foundation-free file helpers for config and state files.
public enum FileIO {
    public static func errnoText() -> String { String(cString: strerror(errno)) }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The size of a file in bytes, or nil when it cannot be stat'ed.
    public static func fileSize(_ path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int64(st.st_size)
    }

    public static func readBytes(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 65536) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    public static func readString(_ path: String) -> String? { readBytes(path).map { String(decoding: $0, as: UTF8.self) } }

    /// Creates a directory and its parents.
    public static func makeDirectories(_ path: String) throws(FileIOError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw FileIOError(path: current, reason: errnoText())
            }
        }
    }

    /// Names in a directory (without `.` and `..`); nil when it cannot be read.
    public static func listDirectory(_ path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public static func parentDirectory(_ path: String) -> String {
        guard let i = path.lastIndex(of: "/") else { return "." }
        return i == path.startIndex ? "/" : String(path[..<i])
    }

    public static func writeBytes(_ bytes: [UInt8], to path: String, sync: Bool) throws(FileIOError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw FileIOError(path: path, reason: errnoText()) }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 { if errno == EINTR { continue }; throw FileIOError(path: path, reason: errnoText()) }
            written += n
        }
        if sync && fsync(fd) != 0 { throw FileIOError(path: path, reason: errnoText()) }
    }

    /// Writes atomically: temp file, fsync, keep the previous file as `.bak`, rename into place.
    public static func writeAtomically(_ text: String, to path: String) throws(FileIOError) {
        try makeDirectories(parentDirectory(path))
        let tmp = path + ".tmp"
        try writeBytes(Array(text.utf8), to: tmp, sync: true)
        if exists(path) {
            _ = unlink(path + ".bak")
            if link(path, path + ".bak") != 0 {
                // Fall back to a copy when hard links are not possible.
                if let old = readBytes(path) { try? writeBytes(old, to: path + ".bak", sync: true) }
            }
        }
        if rename(tmp, path) != 0 { throw FileIOError(path: path, reason: errnoText()) }
        let dirfd = open(parentDirectory(path), O_RDONLY)
        if dirfd >= 0 { _ = fsync(dirfd); close(dirfd) }
    }

    /// Loads a file with a parse step; when the main file is missing or fails to parse, tries `.bak`.
    /// Returns the value and which path supplied it.
    public static func loadWithBackup<T>(_ path: String, parse: (String) throws -> T) -> (value: T, path: String)? {
        for candidate in [path, path + ".bak"] {
            guard let text = readString(candidate), !text.isEmpty else { continue }
            if let v = try? parse(text) { return (v, candidate) }
        }
        return nil
    }
}
