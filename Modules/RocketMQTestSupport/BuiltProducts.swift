//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds executables SwiftPM built alongside the running test bundle (`.build/<triple>/<config>/`).
public enum BuiltProducts {
    /// The directory of the running executable (the test runner / `.xctest` binary).
    public static var directory: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let exe = n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : CommandLine.arguments[0]
        var dir = exe
        if let slash = dir.lastIndex(of: "/") { dir = String(dir[..<slash]) }
        // On Darwin the runner lives inside `<name>.xctest/Contents/MacOS/`.
        var parts = dir.split(separator: "/", omittingEmptySubsequences: false)
        if let bundle = parts.firstIndex(where: { $0.hasSuffix(".xctest") }) {
            parts.removeSubrange(bundle...)
            dir = parts.joined(separator: "/")
        }
        return dir
    }

    /// The path of a built executable product; throws naming the path when it is not there.
    public static func executable(_ name: String) throws -> String {
        let path = directory + "/" + name
        guard access(path, X_OK) == 0 else {
            throw TestSupportError("built product \(path) not found; run `swift build` (or `swift build --build-tests`) first")
        }
        return path
    }
}
