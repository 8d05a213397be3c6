//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Foundation
import NIOCore
import RocketMQBroker
import RocketMQClient
import RocketMQCommon
import RocketMQDelayLevelPlugin
import RocketMQRemoting
import RocketMQStore
import Testing

/// A SYNC_MASTER and its slave as brokers: the slave learns the master's HA and remoting addresses
/// from the name server, replicates, copies metadata, serves pulls and refuses sends.
@Suite(.serialized, .timeLimit(.minutes(2))) struct HABrokerTests {
    static let brokerName = "broker-ha"

    static func startSlave(_ cluster: BrokerTestCluster) async throws -> (BrokerController, String) {
        var c = BrokerTestCluster.baseConfig(directory: cluster.directory + "/slave", namesrvAddr: cluster.namesrvAddr)
        c.brokerName = Self.brokerName
        c.brokerId = 1
        c.store.brokerRole = .slave
        let slave = try BrokerController(config: c, logger: BrokerTestCluster.quietLogger)
        let port = try await slave.start()
        return (slave, "127.0.0.1:\(port)")
    }

    static func masterConfig(_ c: inout BrokerConfig) {
        c.brokerName = Self.brokerName
        c.store.brokerRole = .syncMaster
        c.store.syncFlushTimeout = 3000
    }

    /// Every message of a queue, pulled from `addr`.
    static func pullAll(_ cluster: BrokerTestCluster, addr: String, topic: String, queueID: Int32) async throws
        -> (messages: [MessageExt], suggest: Int64?)
    {
        var all: [MessageExt] = []
        var next: Int64 = 0
        var suggest: Int64?
        while true {
            let header = PullMessageRequestHeader(
                consumerGroup: "CG_HA", topic: topic, queueID: queueID, queueOffset: next, maxMsgNums: 32,
                sysFlag: PullSysFlag.subscription, commitOffset: 0, suspendTimeoutMillis: 0, subscription: "*",
                subVersion: 0, expressionType: nil)
            let r = try await cluster.client.invoke(addr, .request(.pullMessage, header: header))
            guard r.code == ResponseCode.success.rawValue, let h = try? r.decodeHeader(PullMessageResponseHeader.self)
            else { return (all, suggest) }
            suggest = h.suggestWhichBrokerID
            all += try r.decodedMessages()
            next = h.nextBeginOffset
        }
    }

    @Test func syncMasterAndSlaveReplicateSyncMetadataAndFailOverSends() async throws {
        try await BrokerTestCluster.with(Self.masterConfig) { cluster in
            let topic = uniqueName("HA")
            try await cluster.createTopic(topic, queues: 4)
            let offsetHeader = UpdateConsumerOffsetRequestHeader(
                consumerGroup: "CG_SYNCED", topic: topic, queueID: 2, commitOffset: 77)
            #expect(try await cluster.invoke(.request(.updateConsumerOffset, header: offsetHeader)).code == 0)

            // No slave yet: stored, but SLAVE_NOT_AVAILABLE (11) with the message id, as upstream.
            let early = try await cluster.send(topic: topic, body: "before the slave", awaitDispatch: false)
            #expect(early.code == ResponseCode.slaveNotAvailable.rawValue)
            #expect((try? early.decodeHeader(SendMessageResponseHeader.self))?.msgID.isEmpty == false)

            let (slave, slaveAddr) = try await Self.startSlave(cluster)
            do {
                let master = cluster.broker
                #expect(await eventually(within: .seconds(10)) { master.runtimeInfo()["haSlaveCount"] == "1" })
                #expect(slave.runtimeInfo()["haMasterAddress"] == master.haServerAddr)

                // 10,000 sends, 32 at a time: every one SEND_OK, so the slave held it before the answer.
                let total = 10_000
                var failures: [Int32] = []
                for start in stride(from: 0, to: total, by: 32) {
                    let codes = try await withThrowingTaskGroup(of: Int32.self) { group in
                        for i in start..<min(total, start + 32) {
                            group.addTask {
                                try await cluster.send(topic: topic, body: "message \(i)", queueID: Int32(i % 4),
                                                       awaitDispatch: false).code
                            }
                        }
                        return try await group.reduce(into: [Int32]()) { $0.append($1) }
                    }
                    failures += codes.filter { $0 != 0 }
                }
                #expect(failures.isEmpty, "non-OK send codes: \(Set(failures))")

                // The slave's consume queues and bodies equal the master's.
                #expect(await eventually(within: .seconds(10)) { slave.store.dispatchBehindBytes == 0 && slave.store.maxPhyOffset == master.store.maxPhyOffset })
                await cluster.waitForDispatch()
                var slaveCount = 0
                for q in Int32(0)..<4 {
                    let m = try await Self.pullAll(cluster, addr: cluster.brokerAddr, topic: topic, queueID: q)
                    let s = try await Self.pullAll(cluster, addr: slaveAddr, topic: topic, queueID: q)
                    #expect(s.messages.count == m.messages.count)
                    #expect(s.messages.map(\.body) == m.messages.map(\.body))
                    #expect(s.messages.map(\.queueOffset) == m.messages.map(\.queueOffset))
                    #expect(s.messages.map(\.commitLogOffset) == m.messages.map(\.commitLogOffset))
                    #expect(s.suggest == MixAll.masterID)
                    slaveCount += s.messages.count
                }
                #expect(slaveCount == total + 1)

                // GET_BROKER_HA_STATUS (907), as mqadmin haStatus reads it.
                let admin = MQAdmin(clientConfig: ClientConfig(namesrvAddr: cluster.namesrvAddr, clientIP: "127.0.0.1",
                                                               instanceName: uniqueName("ha-admin")))
                let onMaster = try await admin.brokerHAStatus(brokerAddr: cluster.brokerAddr)
                #expect(onMaster.master)
                #expect(onMaster.masterCommitLogMaxOffset == master.store.maxPhyOffset)
                #expect(onMaster.inSyncSlaveNums == 1)
                #expect(onMaster.haConnectionInfo.map(\.slaveAckOffset) == [master.store.maxPhyOffset])
                #expect(onMaster.haConnectionInfo.map(\.diff) == [0])
                let onSlave = try await admin.brokerHAStatus(brokerAddr: slaveAddr)
                #expect(!onSlave.master)
                #expect(onSlave.haClientRuntimeInfo.masterAddr == master.haServerAddr)
                #expect(onSlave.haClientRuntimeInfo.maxOffset == master.store.maxPhyOffset)
                #expect(onSlave.haClientRuntimeInfo.activated)
                await admin.shutdown()

                // The slave refuses sends: SERVICE_NOT_AVAILABLE (14), upstream's remark.
                let refused = try await cluster.client.invoke(slaveAddr, .request(
                    .sendMessageV2,
                    header: SendMessageRequestHeaderV2(BrokerTestCluster.sendHeader(
                        topic: topic, properties: BrokerTestCluster.properties())),
                    body: ByteBuffer(string: "to the slave")))
                #expect(refused.code == ResponseCode.serviceNotAvailable.rawValue)
                #expect(refused.remark?.contains("messages are put to the slave") == true)

                // The route lists both; the slave copied the master's topics and offsets.
                let route = try TopicRouteData(body: try await cluster.client.invoke(
                    cluster.namesrvAddr, .request(.getRouteInfoByTopic, header: GetRouteInfoRequestHeader(topic: topic))).body)
                #expect(route.brokerDatas.first?.brokerAddrs == [0: cluster.brokerAddr, 1: slaveAddr])
                #expect(await eventually(within: .seconds(20), every: .milliseconds(200)) {
                    slave.topicConfigManager.select(topic)?.writeQueueNums == 4
                        && slave.consumerOffsetManager.queryOffset(group: "CG_SYNCED", topic: topic, queueID: 2) == 77
                })
            } catch {
                await slave.shutdown()
                throw error
            }

            // Slave gone: SLAVE_NOT_AVAILABLE again, at once (not after the timeout).
            await slave.shutdown()
            #expect(await eventually(within: .seconds(10)) { cluster.broker.runtimeInfo()["haSlaveCount"] == "0" })
            let started = ContinuousClock.now
            let alone = try await cluster.send(topic: topic, body: "slave down", awaitDispatch: false)
            #expect(alone.code == ResponseCode.slaveNotAvailable.rawValue)
            #expect(ContinuousClock.now - started < .seconds(2))

            // It comes back on its own store and catches up; SEND_OK again.
            let (again, _) = try await Self.startSlave(cluster)
            defer { Task { await again.shutdown() } }
            #expect(await eventually(within: .seconds(10)) {
                (try? await cluster.send(topic: topic, body: "slave back", awaitDispatch: false).code) == 0
            })
            #expect(await eventually(within: .seconds(10)) { again.store.maxPhyOffset == cluster.broker.store.maxPhyOffset })
            await again.shutdown()
        }
    }

    @Test func masterServesDelayOffsetsForItsSlaves() async throws {
        try await BrokerTestCluster.with({ _ in }, plugins: { [DelayLevelPlugin()] }) { cluster in
            let topic = uniqueName("Delayed")
            let r = try await cluster.send(topic: topic, body: "later", user: [MessageConst.delayTimeLevel: "1"])
            #expect(r.code == 0)
            // Delivered after level 1 (1 s): the schedule queue's progress then stands at 1.
            #expect(await eventually(within: .seconds(10), every: .milliseconds(100)) {
                (try? await cluster.pullAll(topic: topic, queueID: 0).count) == 1
            })
            let offsets = try await cluster.invoke(.request(.getAllDelayOffset))
            #expect(offsets.code == 0)
            let json = try JSONParser.parse(Array(offsets.bodyBytes))
            #expect(json["offsetTable"]?["1"]?.int64Value == 1)
        }
    }

    @Test(arguments: [(ratio: 40, suggest: Int64(0)), (ratio: 0, suggest: Int64(1))])
    func slaveReadEnableSuggestsTheSlaveToSlowConsumers(ratio: Int, suggest: Int64) async throws {
        try await BrokerTestCluster.with({ c in
            c.slaveReadEnable = true
            c.store.accessMessageInMemoryMaxRatio = ratio
        }) { cluster in
            let topic = uniqueName("SlaveRead")
            for i in 0..<3 { try await cluster.sendOK(topic: topic, body: "m\(i)") }
            // One message of three: what is left behind it is beyond "memory" only when the ratio is 0.
            let r = try await cluster.pull(topic: topic, offset: 0, maxMsgNums: 1)
            #expect(r.code == ResponseCode.success.rawValue)
            #expect(r.header?.suggestWhichBrokerID == suggest)
        }
    }

    @Test func slaveConfigNeedsAPositiveBrokerId() throws {
        var c = BrokerConfig()
        c.store.brokerRole = .slave
        c.brokerId = 0
        #expect(throws: ConfigError.self) { try c.validate() }
        c.brokerId = 1
        try c.validate()
    }
}
