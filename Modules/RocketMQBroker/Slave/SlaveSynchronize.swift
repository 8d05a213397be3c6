//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import RocketMQCommon
import RocketMQRemoting
import Synchronization

/// A slave's copy of its master's metadata (Java `SlaveSynchronize`): topics (21), consumer offsets
/// (43), delay offsets (45, through plugins) and subscription groups (201), every 10 s, from the
/// master address the name server returned at registration. The commit log itself comes over HA.
final class SlaveSynchronize: Sendable {
    let client: RemotingClient
    let logger: Logger
    private let master = Mutex<String?>(nil)

    init(client: RemotingClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The master's remoting address (`ip:port`), from the REGISTER_BROKER response.
    var masterAddr: String? {
        get { self.master.withLock { $0 } }
        set {
            let old = self.master.withLock { m -> String? in
                let old = m
                m = newValue.flatMap { $0.isEmpty ? nil : $0 }
                return old
            }
            if old != newValue, let newValue, !newValue.isEmpty {
                self.logger.info("slave synchronizes metadata from master", metadata: ["masterAddr": "\(newValue)"])
            }
        }
    }

    /// One round; each part is independent, a failure is logged and retried next round.
    func syncAll(into broker: BrokerController) async {
        guard let addr = self.masterAddr else { return }
        if let body = await self.fetch(.getAllTopicConfig, from: addr, what: "topic config"),
            let wrapper = try? TopicConfigSerializeWrapper(body: body)
        {
            if broker.topicConfigManager.replaceFromMaster(wrapper) {
                self.logger.info("synchronized topic config from master", metadata: ["masterAddr": "\(addr)"])
            }
        }
        if let body = await self.fetch(.getAllConsumerOffset, from: addr, what: "consumer offsets"),
            let json = try? JSONParser.parse(Array(buffer: body))
        {
            broker.consumerOffsetManager.mergeFromMaster(ConsumerOffsetManager.offsetTable(json: json))
            broker.consumerOffsetManager.persist()
        }
        for sync in broker.extensions.slaveSyncs {
            if let body = await self.fetch(sync.code, from: addr, what: sync.name) { sync.apply(body) }
        }
        if let body = await self.fetch(.getAllSubscriptionGroupConfig, from: addr, what: "subscription groups"),
            let wrapper = try? SubscriptionGroupWrapper(body: body)
        {
            if broker.subscriptionGroupManager.replaceFromMaster(wrapper) {
                self.logger.info("synchronized subscription groups from master", metadata: ["masterAddr": "\(addr)"])
            }
        }
    }

    private func fetch(_ code: RequestCode, from addr: String, what: String) async -> ByteBuffer? {
        do {
            let response = try await self.client.invoke(addr, .request(code), timeoutMillis: 3000)
            guard response.code == ResponseCode.success.rawValue else {
                self.logger.warning(
                    "slave sync of \(what) refused by master",
                    metadata: ["masterAddr": "\(addr)", "code": "\(response.code)", "remark": "\(response.remark ?? "")"])
                return nil
            }
            return response.body
        } catch {
            self.logger.warning("slave sync of \(what) failed", metadata: ["masterAddr": "\(addr)", "error": "\(error)"])
            return nil
        }
    }
}

extension BrokerController {
    /// On a slave, a topic its master created less than a sync period before it died is in the
    /// replicated log but not yet in the copied topic table; serve it from its consume queues
    /// (upstream answers TOPIC_NOT_EXIST until the master comes back). The next sync replaces it.
    func topicKnownFromReplication(_ topic: String) -> TopicConfig? {
        guard config.store.brokerRole == .slave, let last = store.queueIDs(ofTopic: topic).last else { return nil }
        let queues = last + 1
        let config = TopicConfig(topicName: topic, readQueueNums: queues, writeQueueNums: queues)
        topicConfigManager.addReplicated(config)
        logger.info("slave serves topic \(topic) from its replicated consume queues (\(queues) queues) until the next sync")
        return config
    }
}

extension BrokerController {
    /// GET_BROKER_HA_STATUS: the store's replication state in 5.x's `HARuntimeInfo` shape.
    func haRuntimeInfo() -> HARuntimeInfo {
        let s = store.haRuntimeStatus
        let connections = s.slaves.map {
            HARuntimeInfo.Connection(
                addr: $0.address, slaveAckOffset: $0.ackedOffset, diff: $0.behindBytes, inSync: $0.inSync,
                transferredByteInSecond: $0.transferredBytesPerSecond, transferFromWhere: $0.transferFromWhere)
        }
        let client = HARuntimeInfo.Client(
            masterAddr: s.masterAddress, transferredByteInSecond: s.transferredBytesPerSecond, maxOffset: s.maxOffset,
            lastReadTimestamp: s.lastReadMillis, lastWriteTimestamp: s.lastWriteMillis, masterFlushOffset: 0,
            activated: s.connected)
        return HARuntimeInfo(
            master: s.isMaster, masterCommitLogMaxOffset: s.masterCommitLogMaxOffset,
            inSyncSlaveNums: Int32(s.inSyncSlaveCount), haConnectionInfo: connections, haClientRuntimeInfo: client)
    }
}
