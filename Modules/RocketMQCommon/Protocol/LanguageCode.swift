//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// `LanguageCode`: name in JSON headers, byte in ROCKETMQ headers.
public struct LanguageCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let java = LanguageCode(rawValue: 0)
    public static let cpp = LanguageCode(rawValue: 1)
    public static let dotnet = LanguageCode(rawValue: 2)
    public static let python = LanguageCode(rawValue: 3)
    public static let delphi = LanguageCode(rawValue: 4)
    public static let erlang = LanguageCode(rawValue: 5)
    public static let ruby = LanguageCode(rawValue: 6)
    public static let other = LanguageCode(rawValue: 7)
    public static let http = LanguageCode(rawValue: 8)
    public static let go = LanguageCode(rawValue: 9)
    public static let php = LanguageCode(rawValue: 10)
    public static let oms = LanguageCode(rawValue: 11)
    public static let rust = LanguageCode(rawValue: 12)
    public static let nodeJS = LanguageCode(rawValue: 13)

    static let allNames = ["JAVA", "CPP", "DOTNET", "PYTHON", "DELPHI", "ERLANG", "RUBY", "OTHER", "HTTP", "GO",
                           "PHP", "OMS", "RUST", "NODE_JS"]

    public var name: String { Int(rawValue) < Self.allNames.count ? Self.allNames[Int(rawValue)] : "OTHER" }
    public var description: String { name }

    public init?(name: String) {
        guard let index = Self.allNames.firstIndex(of: name) else { return nil }
        self.rawValue = UInt8(index)
    }
}

/// Version ordinals (`MQVersion.Version`) the protocol cares about.
public enum MQVersion {
    /// What our servers and client stamp on commands: V4_9_8, so Java clients allow SQL92 (needs ≥ 232).
    public static let currentVersion: Int32 = 409
    public static let v3_4_9: Int32 = 121
    public static let v4_1_0_snapshot: Int32 = 232
    public static let v4_9_4: Int32 = 401

    public static func versionDescription(_ ordinal: Int32) -> String {
        switch ordinal {
        case 409: return "V4_9_8"
        case 333: return "V4_6_0"
        case 317: return "V4_4_0"
        case 401: return "V4_9_4"
        default: return "V\(ordinal)"
        }
    }
}
