//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import RocketMQCommon
import RocketMQRemoting

/// The broker's calls to name servers (Java `BrokerOuterAPI`): register, unregister.
struct BrokerOuterAPI: Sendable {
    let client: RemotingClient
    let logger: Logger

    /// Registers with every name server concurrently; failures are logged, not fatal (the next period retries).
    func registerBrokerAll(namesrvAddrs: [String], clusterName: String, brokerAddr: String, brokerName: String,
                           brokerID: Int64, haServerAddr: String, wrapper: TopicConfigSerializeWrapper) async -> Int {
        let body = RegisterBrokerBody(topicConfigSerializeWrapper: wrapper).encodedBody()
        let header = RegisterBrokerRequestHeader(brokerName: brokerName, brokerAddr: brokerAddr, clusterName: clusterName,
                                                 haServerAddr: haServerAddr, brokerID: brokerID, compressed: false,
                                                 bodyCrc32: 0)
        return await withTaskGroup(of: Bool.self) { group in
            for addr in namesrvAddrs {
                group.addTask {
                    do {
                        let response = try await client.invoke(addr, .request(.registerBroker, header: header, body: body),
                                                               timeoutMillis: 6000)
                        if response.code != ResponseCode.success.rawValue {
                            logger.warning("register broker to name server \(addr) refused: \(response.remark ?? "")")
                            return false
                        }
                        return true
                    } catch {
                        logger.warning("register broker to name server \(addr) failed: \(error)")
                        return false
                    }
                }
            }
            var ok = 0
            for await r in group where r { ok += 1 }
            return ok
        }
    }

    func unregisterBrokerAll(namesrvAddrs: [String], clusterName: String, brokerAddr: String, brokerName: String,
                             brokerID: Int64) async {
        let header = UnRegisterBrokerRequestHeader(brokerName: brokerName, brokerAddr: brokerAddr, clusterName: clusterName,
                                                   brokerID: brokerID)
        await withTaskGroup(of: Void.self) { group in
            for addr in namesrvAddrs {
                group.addTask {
                    do { _ = try await client.invoke(addr, .request(.unregisterBroker, header: header), timeoutMillis: 3000) } catch {
                        logger.warning("unregister broker from name server \(addr) failed: \(error)")
                    }
                }
            }
        }
    }
}
