//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Reads and writes Java `.properties` text (broker.conf, namesrv.conf).
///
/// Supports `key=value`, `key: value` and `key value`, `#`/`!` comments, trailing-backslash line
/// continuation and the common escapes. Keys keep their order of appearance for `-p` printing.
public enum PropertiesFile {
    public static func parse(_ text: String) -> [(key: String, value: String)] {
        var result: [(key: String, value: String)] = []
        var logical = ""
        var continuing = false
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            var line = Substring(rawLine)
            if continuing {
                while let f = line.first, f == " " || f == "\t" { line.removeFirst() }
            } else {
                while let f = line.first, f == " " || f == "\t" || f == "\u{FEFF}" { line.removeFirst() }
                if line.isEmpty || line.first == "#" || line.first == "!" { continue }
            }
            var trailingBackslashes = 0
            for c in line.reversed() { if c == "\\" { trailingBackslashes += 1 } else { break } }
            if trailingBackslashes % 2 == 1 {
                logical += line.dropLast()
                continuing = true
                continue
            }
            logical += line
            continuing = false
            if let pair = splitPair(logical) { result.append(pair) }
            logical = ""
        }
        if !logical.isEmpty, let pair = splitPair(logical) { result.append(pair) }
        return result
    }

    static func splitPair(_ line: String) -> (key: String, value: String)? {
        var key = ""
        var rest = Substring(line)
        var escaped = false
        while let c = rest.first {
            if escaped { key.append(c); escaped = false; rest.removeFirst(); continue }
            if c == "\\" { escaped = true; rest.removeFirst(); continue }
            if c == "=" || c == ":" || c == " " || c == "\t" { break }
            key.append(c)
            rest.removeFirst()
        }
        while let c = rest.first, c == " " || c == "\t" { rest.removeFirst() }
        if let c = rest.first, c == "=" || c == ":" { rest.removeFirst() }
        while let c = rest.first, c == " " || c == "\t" { rest.removeFirst() }
        var trimmed = String(rest)
        while let l = trimmed.last, l == " " || l == "\t" { trimmed.removeLast() }
        guard !key.isEmpty else { return nil }
        return (key, unescape(trimmed))
    }

    static func unescape(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out = ""
        var it = s.makeIterator()
        while let c = it.next() {
            guard c == "\\", let n = it.next() else { out.append(c); continue }
            switch n {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            default: out.append(n)
            }
        }
        return out
    }

    /// Renders key=value lines in the given order.
    public static func render(_ pairs: [(key: String, value: String)]) -> String {
        pairs.map { "\($0.key)=\($0.value)" }.joined(separator: "\n") + "\n"
    }
}

/// A configuration problem that must stop start-up, naming the offending key.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public var key: String
    public var value: String
    public var reason: String
    public init(key: String, value: String, reason: String) {
        self.key = key
        self.value = value
        self.reason = reason
    }
    public var description: String { "invalid value '\(value)' for config key '\(key)': \(reason)" }
}
