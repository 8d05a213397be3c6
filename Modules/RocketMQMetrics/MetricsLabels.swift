//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Labels every series of one node carries: upstream's `cluster`, `node_type`, `node_id`, the
/// `metricsLabel` pairs and `aggregation="delta"` when `metricsInDelta` is set.
public struct MetricsLabels: Sendable {
    public private(set) var pairs: [(String, String)]

    public init(_ pairs: [(String, String)]) { self.pairs = pairs }

    /// Parses `metricsLabel` (`k1:v1,k2:v2`, upstream's syntax).
    ///
    /// Upstream only warns about a malformed pair; here it is an error so a typo cannot silently drop a
    /// label that dashboards rely on.
    /// - Returns: the pairs, or the reason the text is malformed.
    public static func parse(_ text: String) -> Result<[(String, String)], LabelError> {
        var result: [(String, String)] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return .failure(LabelError("'\(item)' is not key:value")) }
            let key = parts[0].trimmingCharacters(" ")
            let value = parts[1].trimmingCharacters(" ")
            guard isValidName(key) else {
                return .failure(LabelError("'\(key)' is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)"))
            }
            guard !result.contains(where: { $0.0 == key }) else {
                return .failure(LabelError("'\(key)' is given twice"))
            }
            guard !reservedNames.contains(key) else {
                return .failure(LabelError("'\(key)' is a label the node sets itself"))
            }
            result.append((key, value))
        }
        return .success(result)
    }

    /// Label names the exporters set; a `metricsLabel` pair may not reuse one (a series would carry the
    /// name twice, which the exposition format forbids).
    public static let reservedNames: Set<String> = [
        "cluster", "node_type", "node_id", "aggregation", "topic", "consumer_group", "message_type", "is_system",
        "is_retry", "protocol_type", "request_code", "response_code", "language", "version", "consume_mode",
        "storage_type", "storage_medium", "le",
    ]

    public struct LabelError: Error, Sendable {
        public let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// Prometheus label and metric names: `[a-zA-Z_][a-zA-Z0-9_]*` (no `__` prefix, which is reserved).
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !name.hasPrefix("__") else { return false }
        func letter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 }
        return letter(first) && name.utf8.allSatisfy { letter($0) || ($0 >= 48 && $0 <= 57) }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(_ c: Character) -> String {
        var s = self[...]
        while s.first == c { s = s.dropFirst() }
        while s.last == c { s = s.dropLast() }
        return String(s)
    }
}
