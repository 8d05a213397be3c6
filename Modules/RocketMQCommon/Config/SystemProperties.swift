//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// `-Dkey=value` command-line flags, standing in for the JVM system properties upstream reads
/// (`-Dtls.enable=true`, `-Dtls.config.file=...`), so upstream's documented flags work unchanged.
public enum SystemProperties {
    /// `key=value` → (key, value); a bare `key` means "" (as `java -Dkey`).
    public static func parse(_ definition: String) -> (key: String, value: String) {
        guard let eq = definition.firstIndex(of: "=") else { return (definition, "") }
        return (String(definition[..<eq]), String(definition[definition.index(after: eq)...]))
    }

    /// Takes every `-Dkey=value` argument out of `arguments` (stopping at `--`) and returns them with
    /// the rest, for tools whose subcommands do not declare the flag themselves.
    public static func extract(from arguments: [String]) -> (properties: [(key: String, value: String)], remaining: [String]) {
        var properties: [(key: String, value: String)] = []
        var remaining: [String] = []
        var passThrough = false
        for argument in arguments {
            if argument == "--" { passThrough = true }
            if !passThrough, argument.hasPrefix("-D"), argument.count > 2 {
                properties.append(parse(String(argument.dropFirst(2))))
            } else {
                remaining.append(argument)
            }
        }
        return (properties, remaining)
    }

    /// Rewrites `-Dkey=value` as `-D key=value` (stopping at `--`), so an ArgumentParser option `-D`
    /// takes upstream's joined spelling (ArgumentParser reads `-Dk=v` as an option named `Dk`).
    public static func separatingJoinedFlags(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var passThrough = false
        for argument in arguments {
            if argument == "--" { passThrough = true }
            if !passThrough, argument.hasPrefix("-D"), argument.count > 2 {
                result.append("-D")
                result.append(String(argument.dropFirst(2)))
            } else {
                result.append(argument)
            }
        }
        return result
    }
}
