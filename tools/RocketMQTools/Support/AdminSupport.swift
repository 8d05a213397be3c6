//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import Logging
import RocketMQClient
import RocketMQCommon
import RocketMQRemoting

/// `-n`: the name server list every command takes (upstream's common option).
struct NamesrvOptions: ParsableArguments {
    @Option(name: [.customShort("n"), .customLong("namesrvAddr")],
            help: "Name server address list, eg: '192.168.0.1:9876;192.168.0.2:9876'")
    var namesrvAddr: String?

    /// `-n`, else the NAMESRV_ADDR environment variable.
    func resolvedAddress() throws -> String {
        if let namesrvAddr, !namesrvAddr.isEmpty { return namesrvAddr }
        if let env = ProcessInfo.processInfo.environment[MixAll.namesrvAddrEnv], !env.isEmpty { return env }
        throw ToolError("no name server address: pass -n <host:port> or set NAMESRV_ADDR")
    }

    /// Creates an admin client, runs `body`, and shuts the client down whatever happens.
    func withAdmin<T>(_ body: (MQAdmin) async throws -> T) async throws -> T {
        let admin = MQAdmin(namesrvAddr: try resolvedAddress(), clientConfig: ClientTLSOptions.clientConfig(),
                            logger: Tools.quietLogger("mqadmin"))
        do {
            try await admin.start()
            let result = try await body(admin)
            await admin.shutdown()
            return result
        } catch {
            await admin.shutdown()
            throw error
        }
    }
}

enum Tools {
    /// Client logs stay out of the command's output: errors only, on stderr.
    static func quietLogger(_ label: String) -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .error
        return logger
    }

    /// Java `%-Ns`: left-aligned, padded to at least `width`.
    static func left(_ value: Any, _ width: Int) -> String {
        let s = String(describing: value)
        return s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    /// Java `%Ns`: right-aligned, padded to at least `width`.
    static func right(_ value: Any, _ width: Int) -> String {
        let s = String(describing: value)
        return s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    /// Java `%.Nf`.
    static func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    /// `yyyy-MM-dd HH:mm:ss` in local time (upstream `UtilAll.YYYY_MM_DD_HH_MM_SS`).
    static func formatDate(millis: Int64) -> String {
        var t = time_t(millis / 1000)
        var parts = tm()
        localtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }

    /// `yyyy-MM-dd HH:mm:ss,SSS` (upstream's message timestamps).
    static func formatDateMillis(_ millis: Int64) -> String {
        let ms = Int(millis % 1000)
        return formatDate(millis: millis) + "," + (ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)")
    }

    /// Parses `now`, epoch milliseconds, or `yyyy-MM-dd#HH:mm:ss:SSS` (local time), as resetOffsetByTime does.
    static func parseTimestamp(_ text: String) -> Int64? {
        if text == "now" { return Int64(Date().timeIntervalSince1970 * 1000) }
        if let millis = Int64(text) { return millis }
        let fields = text.split(whereSeparator: { "-#:".contains($0) }).map { Int32($0) }
        guard fields.count == 7, fields.allSatisfy({ $0 != nil }) else { return nil }
        let f = fields.map { $0! }
        var parts = tm()
        parts.tm_year = f[0] - 1900
        parts.tm_mon = f[1] - 1
        parts.tm_mday = f[2]
        parts.tm_hour = f[3]
        parts.tm_min = f[4]
        parts.tm_sec = f[5]
        parts.tm_isdst = -1
        let seconds = mktime(&parts)
        guard seconds >= 0 else { return nil }
        return Int64(seconds) * 1000 + Int64(f[6])
    }

    /// Master addresses of a cluster's brokers, sorted by broker name.
    static func masterAddresses(_ admin: MQAdmin, cluster: String) async throws -> [String] {
        let info = try await admin.clusterInfo()
        guard let names = info.clusterAddrTable[cluster] else {
            throw ToolError("cluster [\(cluster)] not found in the name server")
        }
        return names.sorted().compactMap { info.brokerAddrTable[$0]?.brokerAddrs[MixAll.masterID] }
    }

    /// `-b` if given, else every master of `-c`; one of them is required.
    static func targetAddresses(_ admin: MQAdmin, brokerAddr: String?, cluster: String?) async throws -> [String] {
        if let brokerAddr { return [brokerAddr] }
        if let cluster { return try await masterAddresses(admin, cluster: cluster) }
        throw ToolError("one of -b <brokerAddr> or -c <clusterName> is required")
    }

    /// An unknown topic's route error, said plainly.
    static func topicRoute(_ admin: MQAdmin, _ topic: String) async throws -> TopicRouteData {
        do { return try await admin.topicRoute(topic) } catch {
            guard case .noRouteInfo = error else { throw error }
            throw ToolError("topic [\(topic)] not exist (no route info in the name server)")
        }
    }
}

extension TopicConfig {
    /// Java `TopicConfig.toString()`.
    var javaDescription: String {
        "TopicConfig [topicName=\(topicName), readQueueNums=\(readQueueNums), writeQueueNums=\(writeQueueNums), "
            + "perm=\(PermName.string(perm)), topicFilterType=\(topicFilterType), topicSysFlag=\(topicSysFlag), "
            + "order=\(order)]"
    }
}

extension SubscriptionGroupConfig {
    /// Java `SubscriptionGroupConfig.toString()`.
    var javaDescription: String {
        "SubscriptionGroupConfig [groupName=\(groupName), consumeEnable=\(consumeEnable), "
            + "consumeFromMinEnable=\(consumeFromMinEnable), consumeBroadcastEnable=\(consumeBroadcastEnable), "
            + "retryQueueNums=\(retryQueueNums), retryMaxTimes=\(retryMaxTimes), brokerId=\(brokerID), "
            + "whichBrokerWhenConsumeSlowly=\(whichBrokerWhenConsumeSlowly), "
            + "notifyConsumerIdsChangedEnable=\(notifyConsumerIdsChangedEnable)]"
    }
}
