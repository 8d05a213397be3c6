//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Binds upstream config keys to fields of a config struct, so `-c file`, `-p` printing, admin
/// updates and validation all share one table.
public struct ConfigKey<Root>: Sendable {
    public let name: String
    let get: @Sendable (Root) -> String
    let set: @Sendable (inout Root, String) throws(ConfigError) -> Void
    /// Shown by `-m` (the important part).
    public let important: Bool

    public init(_ name: String, important: Bool = false, get: @escaping @Sendable (Root) -> String,
                set: @escaping @Sendable (inout Root, String) throws(ConfigError) -> Void) {
        self.name = name
        self.get = get
        self.set = set
        self.important = important
    }

    public static func string(_ name: String, _ path: any WritableKeyPath<Root, String> & Sendable, important: Bool = false) -> ConfigKey {
        ConfigKey(name, important: important, get: { $0[keyPath: path] }, set: { root, v in root[keyPath: path] = v })
    }

    public static func int<I: FixedWidthInteger & Sendable>(_ name: String, _ path: any WritableKeyPath<Root, I> & Sendable,
                                                           range: ClosedRange<I>? = nil, important: Bool = false) -> ConfigKey {
        ConfigKey(name, important: important, get: { String($0[keyPath: path]) }, set: { (root, v) throws(ConfigError) in
            guard let n = I(v.trimmingChars(" \t")) else {
                throw ConfigError(key: name, value: v, reason: "expected an integer")
            }
            if let range, !range.contains(n) {
                throw ConfigError(key: name, value: v, reason: "must be between \(range.lowerBound) and \(range.upperBound)")
            }
            root[keyPath: path] = n
        })
    }

    public static func bool(_ name: String, _ path: any WritableKeyPath<Root, Bool> & Sendable, important: Bool = false) -> ConfigKey {
        ConfigKey(name, important: important, get: { $0[keyPath: path] ? "true" : "false" }, set: { (root, v) throws(ConfigError) in
            switch v.trimmingChars(" \t").lowercased() {
            case "true": root[keyPath: path] = true
            case "false": root[keyPath: path] = false
            default: throw ConfigError(key: name, value: v, reason: "expected true or false")
            }
        })
    }

    public static func choice(_ name: String, _ path: any WritableKeyPath<Root, String> & Sendable, _ allowed: [String],
                              important: Bool = false) -> ConfigKey {
        ConfigKey(name, important: important, get: { $0[keyPath: path] }, set: { (root, v) throws(ConfigError) in
            let t = v.trimmingChars(" \t")
            guard allowed.contains(t) else {
                throw ConfigError(key: name, value: v, reason: "expected one of \(allowed.joined(separator: ", "))")
            }
            root[keyPath: path] = t
        })
    }
}

/// Applies properties to a config through its keys.
public struct ConfigBinder<Root>: Sendable {
    public let keys: [ConfigKey<Root>]
    public init(_ keys: [ConfigKey<Root>]) { self.keys = keys }

    /// Applies every known key; returns the unknown keys (to warn about). Throws on the first bad value.
    public func apply(_ pairs: [(key: String, value: String)], to root: inout Root) throws(ConfigError) -> [String] {
        var unknown: [String] = []
        for (key, value) in pairs {
            guard let k = keys.first(where: { $0.name == key }) else { unknown.append(key); continue }
            try k.set(&root, value)
        }
        return unknown
    }

    public func render(_ root: Root, importantOnly: Bool = false) -> [(key: String, value: String)] {
        keys.filter { !importantOnly || $0.important }.map { ($0.name, $0.get(root)) }
    }

    public func value(of key: String, in root: Root) -> String? { keys.first { $0.name == key }.map { $0.get(root) } }
}

/// Expands a leading "~" to the home directory.
public func expandTilde(_ path: String) -> String {
    guard path.hasPrefix("~") else { return path }
    return userHome() + path.dropFirst()
}

public func userHome() -> String {
    if let h = getenvString("HOME"), !h.isEmpty { return h }
    return "/root"
}
