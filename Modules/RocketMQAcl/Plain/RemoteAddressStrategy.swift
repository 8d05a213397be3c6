//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Foundation

/// A white-listed address pattern (Java `RemoteAddressStrategyFactory` and its strategies).
///
/// Patterns, as upstream: blank (matches nothing), `*` / `*.*.*.*` / `*:*:*:*:*:*:*:*` (everything),
/// one address (IPv4 or IPv6), a list `192.168.0.{1,2}` or `1.1.1.1,2.2.2.2`, and IPv4 ranges
/// `192.168.1.1-100`, `192.168.1.*`, `192.168.*.*`, `192.*.*.*`. As upstream, a range only tests the
/// first octet that is `*` or `a-b`; the octets after it are not looked at.
public enum RemoteAddressStrategy: Sendable, Equatable {
    case blank
    case all
    case multiple(Set<String>)
    case one(String)
    /// `head` is the fixed octets with their dots ("192.168."); `index` is the ranged octet (1...3).
    case range(head: String, start: Int, end: Int, index: Int)

    /// Parses a pattern. - Throws: `AclException` with upstream's message for a malformed one.
    public init(pattern raw: String?) throws(AclException) {
        let pattern = (raw ?? "").trimmingChars(" \t\r\n")
        if pattern.isEmpty { self = .blank; return }
        if pattern == "*" || pattern == "*.*.*.*" || pattern == "*:*:*:*:*:*:*:*" { self = .all; return }
        if pattern.hasSuffix("}") {
            let separator: Character = pattern.contains(":") ? ":" : "."
            let parts = pattern.split(separator: separator).map(String.init)
            guard let last = parts.last, last.hasPrefix("{"), let brace = pattern.firstIndex(of: "{") else {
                throw AclException("MultipleRemoteAddressStrategy netaddress examine scope Exception netaddress")
            }
            if separator == ".", parts.count < 4 {
                throw AclException("MultipleRemoteAddressStrategy has got a/some wrong format IP(s) ")
            }
            let prefix = String(pattern[..<brace])
            let items = last.dropFirst().dropLast().split(separator: ",").map { prefix + $0.trimmingChars(" ") }
            self = .multiple(try Self.addressSet(items))
            return
        }
        if pattern.contains(",") {
            self = .multiple(try Self.addressSet(pattern.split(separator: ",").map { $0.trimmingChars(" ") }))
            return
        }
        if pattern.contains("*") || pattern.contains("-") {
            self = try Self.range(pattern)
            return
        }
        if IPAddressText.isIPv4(pattern) { self = .one(pattern); return }
        if let v6 = IPAddressText.expandedIPv6(pattern) { self = .one(v6); return }
        throw AclException("Netaddress examine Exception netaddress is \(pattern)")
    }

    private static func addressSet(_ items: [String]) throws(AclException) -> Set<String> {
        var set = Set<String>()
        for item in items {
            if IPAddressText.isIPv4(item) {
                set.insert(item)
            } else if let v6 = IPAddressText.expandedIPv6(item) {
                set.insert(v6)
            } else {
                throw AclException("Netaddress examine Exception netaddress is \(item)")
            }
        }
        return set
    }

    private static func range(_ pattern: String) throws(AclException) -> RemoteAddressStrategy {
        if pattern.contains(":") {
            throw AclException("IPv6 address ranges are not supported: \(pattern)")
        }
        let parts = pattern.split(separator: ".", omittingEmptySubsequences: true).map { $0.trimmingChars(" ") }
        guard parts.count == 4 else {
            throw AclException("Netaddress examine scope Exception netaddress is \(pattern)")
        }
        for index in 1...3 {
            let value = parts[index]
            var bounds: (Int, Int)?
            if value == "*" {
                bounds = (0, 255)
            } else if value.contains("-") {
                let ends = value.split(separator: "-")
                guard !value.hasPrefix("-"), ends.count == 2, let s = Int(ends[0]), let e = Int(ends[1]) else {
                    throw AclException("RangeRemoteAddressStrategy netaddress examine scope Exception value \(value) ")
                }
                guard (0...255).contains(s), (0...255).contains(e), s <= e else {
                    throw AclException("RangeRemoteAddressStrategy netaddress examine scope Exception start is \(s) , end is \(e)")
                }
                bounds = (s, e)
            }
            guard let (start, end) = bounds else { continue }
            for fixed in parts[0..<index] {
                guard let n = Int(fixed), (0...255).contains(n) else {
                    throw AclException("Netaddress examine scope Exception netaddress is \(pattern)")
                }
            }
            return .range(head: parts[0..<index].joined(separator: ".") + ".", start: start, end: end, index: index)
        }
        throw AclException("Netaddress examine scope Exception netaddress is \(pattern)")
    }

    /// Whether the peer's address (without port) matches.
    public func matches(_ address: String) -> Bool {
        switch self {
        case .blank: return false
        case .all: return true
        case .multiple(let set):
            if set.contains(address) { return true }
            return IPAddressText.expandedIPv6(address).map(set.contains) ?? false
        case .one(let expected):
            if expected == address { return true }
            return IPAddressText.expandedIPv6(address) == expected
        case .range(let head, let start, let end, let index):
            guard IPAddressText.isIPv4(address), address.hasPrefix(head) else { return false }
            let octets = address.split(separator: ".")
            guard let value = Int(octets[index]) else { return false }
            return value >= start && value <= end
        }
    }
}

/// Address text checks (commons-validator's `InetAddressValidator` and upstream's `AclUtils.expandIP`).
enum IPAddressText {
    /// Four decimal octets 0-255, no leading zeros.
    static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for p in parts {
            guard (1...3).contains(p.count), p.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(p), n <= 255,
                  p.count == 1 || p.first != "0"
            else { return false }
        }
        return true
    }

    /// An IPv6 address in full upper-case form, eight groups of four hex digits ("0000:...:0001"), or nil.
    static func expandedIPv6(_ s: String) -> String? {
        guard s.contains(":"), s.allSatisfy({ $0.isHexDigit || $0 == ":" }) else { return nil }
        let halves = s.components(separatedByDoubleColon: ())
        guard halves.count <= 2 else { return nil }
        func groups(_ part: Substring) -> [Substring]? {
            if part.isEmpty { return [] }
            let g = part.split(separator: ":", omittingEmptySubsequences: false)
            return g.allSatisfy { (1...4).contains($0.count) } ? g : nil
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += Array(repeating: "0", count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return all.map { String(repeating: "0", count: 4 - $0.count) + $0.uppercased() }.joined(separator: ":")
    }
}

extension String {
    /// Splits at the first "::" (at most two parts; a second "::" leaves three, which is invalid).
    fileprivate func components(separatedByDoubleColon _: ()) -> [Substring] {
        var parts: [Substring] = []
        var rest = self[...]
        while let r = rest.range(of: "::") {
            parts.append(rest[..<r.lowerBound])
            rest = rest[r.upperBound...]
        }
        parts.append(rest)
        return parts
    }
}
