//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon
import RocketMQRemoting

/// `clusterList` (Java `ClusterListSubCommand`, 4.x base layout): every broker of every cluster, with the
/// runtime figures the broker reports (columns it does not report print as zero, as upstream's defaults).
struct ClusterListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clusterList", abstract: "List cluster infos")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("c"), .customLong("clusterName")], help: "which cluster")
    var clusterName: String?

    func run() async throws {
        try await namesrv.withAdmin { admin in
            let info = try await admin.clusterInfo()
            if let clusterName, info.clusterAddrTable[clusterName] == nil {
                throw ToolError("cluster [\(clusterName)] not found in the name server")
            }
            out.write(Self.row("#Cluster Name", "#Broker Name", "#BID", "#Addr", "#Version", "#InTPS(LOAD)",
                               "#OutTPS(LOAD)", "#PCWait(ms)", "#Hour", "#SPACE"))
            for (cluster, brokerNames) in info.clusterAddrTable.sorted(by: { $0.key < $1.key }) {
                if let clusterName, cluster != clusterName { continue }
                for brokerName in brokerNames.sorted() {
                    guard let broker = info.brokerAddrTable[brokerName] else { continue }
                    for (id, address) in broker.brokerAddrs.sorted(by: { $0.key < $1.key }) {
                        let rt = (try? await admin.brokerRuntimeInfo(brokerAddr: address)) ?? [:]
                        out.write(Self.brokerRow(cluster, brokerName, id, address, rt))
                    }
                }
            }
        }
    }

    static func brokerRow(_ cluster: String, _ brokerName: String, _ id: Int64, _ address: String,
                          _ rt: [String: String]) -> String {
        func first(_ key: String) -> Double { rt[key].flatMap { $0.split(separator: " ").first }.flatMap { Double($0) } ?? 0 }
        func value(_ key: String) -> String { rt[key] ?? "0" }
        let inTPS = Tools.right(Tools.fixed(first("putTps"), 2), 9)
            + "(\(value("sendThreadPoolQueueSize")),\(value("sendThreadPoolQueueHeadWaitTimeMills"))ms)"
        let outTPS = Tools.right(Tools.fixed(first("getTransferedTps"), 2), 9)
            + "(\(value("pullThreadPoolQueueSize")),\(value("pullThreadPoolQueueHeadWaitTimeMills"))ms)"
        var hours = 0.0
        if let earliest = rt["earliestMessageTimeStamp"].flatMap({ Int64($0) }), earliest > 0 {
            hours = Double(Clock.millis() - earliest) / 1000 / 3600
        }
        let space = rt["commitLogDiskRatio"].flatMap { Double($0) } ?? 0
        return row(cluster, brokerName, id, address, rt["brokerVersionDesc"] ?? "", inTPS, outTPS,
                   value("pageCacheLockTimeMills"), Tools.fixed(hours, 2), Tools.fixed(space, 4))
    }

    /// `%-16s  %-22s  %-4s  %-22s %-16s %19s %19s %10s %5s %6s%n`
    static func row(_ c: Any, _ b: Any, _ id: Any, _ addr: Any, _ version: Any, _ inTPS: Any, _ outTPS: Any,
                    _ pcWait: Any, _ hour: Any, _ space: Any) -> String {
        Tools.left(c, 16) + "  " + Tools.left(b, 22) + "  " + Tools.left(id, 4) + "  " + Tools.left(addr, 22) + " "
            + Tools.left(version, 16) + " " + Tools.right(inTPS, 19) + " " + Tools.right(outTPS, 19) + " "
            + Tools.right(pcWait, 10) + " " + Tools.right(hour, 5) + " " + Tools.right(space, 6) + "\n"
    }
}
