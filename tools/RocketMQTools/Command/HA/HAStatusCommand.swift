//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQRemoting

/// `haStatus` (Java 5.x `HAStatusSubCommand`): a master's slaves with their acknowledged offsets and
/// lag, or a slave's link to its master. `-c` asks every master of a cluster.
struct HAStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "haStatus", abstract: "Fetch ha runtime status data.")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("b"), .customLong("brokerAddr")], help: "which broker to fetch")
    var brokerAddr: String?
    @Option(name: [.customShort("c"), .customLong("clusterName")], help: "which cluster")
    var clusterName: String?

    func run() async throws {
        try await namesrv.withAdmin { admin in
            for address in try await Tools.targetAddresses(admin, brokerAddr: brokerAddr, cluster: clusterName) {
                let info = try await admin.brokerHAStatus(brokerAddr: address)
                out.write(Self.render(info, brokerAddr: address))
            }
        }
    }

    /// Upstream's layout: a header block, then one row per slave (master) or the link's figures (slave).
    static func render(_ info: HARuntimeInfo, brokerAddr: String) -> String {
        var text = ""
        if info.master {
            text += "\n#MasterAddr\t\(brokerAddr)\n#MasterCommitLogMaxOffset\t\(info.masterCommitLogMaxOffset)\n"
            text += "#SlaveNum\t\(info.haConnectionInfo.count)\n#InSyncSlaveNum\t\(info.inSyncSlaveNums)\n"
            text += Tools.left("#SlaveAddr", 32) + "  " + Tools.left("#SlaveAckOffset", 16) + " "
                + Tools.right("#Diff", 16) + " " + Tools.right("#TransferSpeed(KB/s)", 16) + " "
                + Tools.right("#Status", 16) + " " + Tools.right("#TransferFromWhere", 16) + "\n"
            for c in info.haConnectionInfo {
                text += Tools.left(c.addr, 32) + "  " + Tools.left(c.slaveAckOffset, 16) + " "
                    + Tools.right(c.diff, 16) + " " + Tools.right(Tools.fixed(Double(c.transferredByteInSecond) / 1024, 2), 16)
                    + " " + Tools.right(c.inSync ? "OK" : "Fall Behind", 16) + " "
                    + Tools.right(c.transferFromWhere, 16) + "\n"
            }
        } else {
            let c = info.haClientRuntimeInfo
            text += "\n#MasterAddr\t\(c.masterAddr)\n#CommitLogMaxOffset\t\(c.maxOffset)\n"
            text += "#TransferSpeed(KB/s)\t\(Tools.fixed(Double(c.transferredByteInSecond) / 1024, 2))\n"
            text += "#LastReadTime\t\(Tools.formatDateMillis(c.lastReadTimestamp))\n"
            text += "#LastWriteTime\t\(Tools.formatDateMillis(c.lastWriteTimestamp))\n"
            text += "#MasterFlushOffset\t\(c.masterFlushOffset)\n"
        }
        return text
    }
}
