//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQRemoting
import Testing

@testable import RocketMQTools

/// `haStatus` output in upstream's layout, for a master and for a slave.
@Suite struct HAStatusRenderTests {
    @Test func masterAndSlaveLayouts() {
        let master = HARuntimeInfo(
            master: true, masterCommitLogMaxOffset: 4096, inSyncSlaveNums: 1,
            haConnectionInfo: [.init(addr: "127.0.0.1:50000", slaveAckOffset: 4000, diff: 96, inSync: true,
                                     transferredByteInSecond: 2048, transferFromWhere: 4096)],
            haClientRuntimeInfo: .init())
        let text = HAStatusCommand.render(master, brokerAddr: "127.0.0.1:10911")
        #expect(text.contains("#MasterAddr\t127.0.0.1:10911\n#MasterCommitLogMaxOffset\t4096\n#SlaveNum\t1\n#InSyncSlaveNum\t1\n"))
        #expect(text.contains("127.0.0.1:50000                   4000                           96             2.00               OK             4096\n"))
        let slave = HARuntimeInfo(
            master: false, masterCommitLogMaxOffset: 0, inSyncSlaveNums: 0, haConnectionInfo: [],
            haClientRuntimeInfo: .init(masterAddr: "127.0.0.1:10912", transferredByteInSecond: 0, maxOffset: 4096))
        let slaveText = HAStatusCommand.render(slave, brokerAddr: "127.0.0.1:11911")
        #expect(slaveText.hasPrefix("\n#MasterAddr\t127.0.0.1:10912\n#CommitLogMaxOffset\t4096\n#TransferSpeed(KB/s)\t0.00\n"))
        #expect(slaveText.hasSuffix("#MasterFlushOffset\t0\n"))
    }
}
