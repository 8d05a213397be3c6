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
    ///
    /// - Returns: the first name server's answer (a slave learns its master's addresses from it), nil when none accepted.
    func registerBrokerAll(namesrvAddrs: [String], clusterName: String, brokerAddr: String, brokerName: String,
                           brokerID: Int64, haServerAddr: String, wrapper: TopicConfigSerializeWrapper) async
        -> RegisterBrokerResponseHeader?
    {
        let body = RegisterBrokerBody(topicConfigSerializeWrapper: wrapper).encodedBody()
        let header = RegisterBrokerRequestHeader(brokerName: brokerName, brokerAddr: brokerAddr, clusterName: clusterName,
                                                 haServerAddr: haServerAddr, brokerID: brokerID, compressed: false,
                                                 bodyCrc32: 0)
        return await withTaskGroup(of: RegisterBrokerResponseHeader?.self) { group in
            for addr in namesrvAddrs {
                group.addTask {
                    do {
                        let response = try await client.invoke(addr, .request(.registerBroker, header: header, body: body),
                                                               timeoutMillis: 6000)
                        if response.code != ResponseCode.success.rawValue {
                            logger.warning("register broker to name server \(addr) refused: \(response.remark ?? "")")
                            return nil
                        }
                        return (try? response.decodeHeader(RegisterBrokerResponseHeader.self))
                            ?? RegisterBrokerResponseHeader()
                    } catch {
                        logger.warning("register broker to name server \(addr) failed: \(error)")
                        return nil
                    }
                }
            }
            var first: RegisterBrokerResponseHeader?
            for await r in group where first == nil { first = r }
            return first
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
