//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import RocketMQCommon
import RocketMQRemoting
import Synchronization

/// The client's RPCs (Java `MQClientAPIImpl`): builds requests with ``ClientRequests``, sends them through
/// one shared `RemotingClient` and turns responses into values or ``ClientError``s.
public final class MQClientAPI: Sendable {
    let remoting: RemotingClient
    let config: ClientConfig
    let logger: Logger
    /// Index of the name server that answered last; a failure moves on to the next one.
    private let namesrvIndex = Atomic<Int>(0)

    init(remoting: RemotingClient, config: ClientConfig, logger: Logger) {
        self.remoting = remoting
        self.config = config
        self.logger = logger
    }

    // MARK: Plumbing

    /// Sends a request and returns the response whatever its code; transport errors become `ClientError`.
    func invoke(_ address: String, _ request: RemotingCommand, timeoutMillis: Int64? = nil) async throws(ClientError)
        -> RemotingCommand
    {
        var request = request
        request.language = config.language
        request.serializeType = config.serializeType
        do {
            return try await remoting.invoke(address, request, timeoutMillis: timeoutMillis ?? config.mqClientAPITimeoutMillis)
        } catch {
            throw ClientError.wrap(error)
        }
    }

    /// Sends a request and requires a SUCCESS answer.
    func invokeExpectingSuccess(_ address: String, _ request: RemotingCommand, timeoutMillis: Int64? = nil)
        async throws(ClientError) -> RemotingCommand
    {
        let response = try await invoke(address, request, timeoutMillis: timeoutMillis)
        guard response.responseCode == .success else {
            throw .broker(MQBrokerError(code: response.responseCode, remark: response.remark, address: address))
        }
        return response
    }

    func invokeOneway(_ address: String, _ request: RemotingCommand) async throws(ClientError) {
        var request = request
        request.language = config.language
        request.serializeType = config.serializeType
        do { try await remoting.invokeOneway(address, request) } catch { throw ClientError.wrap(error) }
    }

    /// Asks the name servers in turn, starting with the last one that answered.
    func invokeNameServer(_ request: RemotingCommand, timeoutMillis: Int64? = nil) async throws(ClientError)
        -> RemotingCommand
    {
        let list = config.namesrvAddrList
        guard !list.isEmpty else { throw .noNameServer("namesrvAddr is empty") }
        let start = namesrvIndex.load(ordering: .relaxed)
        var lastError: ClientError = .noNameServer(list.joined(separator: ";"))
        for i in 0..<list.count {
            let index = (start + i) % list.count
            do {
                let response = try await invoke(list[index], request, timeoutMillis: timeoutMillis)
                namesrvIndex.store(index, ordering: .relaxed)
                return response
            } catch {
                logger.debug("name server failed", metadata: ["address": "\(list[index])", "error": "\(error)"])
                lastError = error
            }
        }
        throw lastError
    }

    /// Runs a request against every name server (admin writes such as KV config and wipe perm).
    func invokeAllNameServers(_ request: RemotingCommand) async throws(ClientError) -> [RemotingCommand] {
        let list = config.namesrvAddrList
        guard !list.isEmpty else { throw .noNameServer("namesrvAddr is empty") }
        var responses: [RemotingCommand] = []
        for address in list { responses.append(try await invokeExpectingSuccess(address, request)) }
        return responses
    }

    // MARK: Name server

    /// The route of a topic, or nil when the name servers answer TOPIC_NOT_EXIST.
    func topicRoute(_ topic: String, timeoutMillis: Int64? = nil) async throws(ClientError) -> TopicRouteData? {
        let response = try await invokeNameServer(ClientRequests.getRouteInfo(topic: topic), timeoutMillis: timeoutMillis)
        switch response.responseCode {
        case .success:
            do { return try TopicRouteData(body: response.body) } catch {
                throw .remoting("bad route body for \(topic): \(error)")
            }
        case .topicNotExist:
            return nil
        default:
            throw .broker(MQBrokerError(code: response.responseCode, remark: response.remark))
        }
    }

    // MARK: Send

    func sendMessage(address: String, brokerName: String, header: SendMessageRequestHeader, body: [UInt8],
                     uniqueID: String, timeoutMillis: Int64, reply: Bool = false) async throws(ClientError) -> SendResult {
        let response = try await invoke(address, ClientRequests.sendMessage(header, body: body, reply: reply),
                                        timeoutMillis: timeoutMillis)
        guard let status = SendStatus(responseCode: response.responseCode) else {
            throw .broker(MQBrokerError(code: response.responseCode, remark: response.remark, address: address))
        }
        let responseHeader: SendMessageResponseHeader
        do { responseHeader = try response.decodeHeader(SendMessageResponseHeader.self) } catch {
            throw .remoting("bad send response from \(address): \(error)")
        }
        let queue = MessageQueue(topic: header.topic, brokerName: brokerName, queueID: responseHeader.queueID)
        return SendResult(
            sendStatus: status, msgID: uniqueID, offsetMsgID: responseHeader.msgID, messageQueue: queue,
            queueOffset: responseHeader.queueOffset, transactionID: responseHeader.transactionID,
            regionID: response.extFields[MessageConst.msgRegion],
            traceOn: response.extFields[MessageConst.traceSwitch] != "false")
    }

    func sendMessageOneway(address: String, header: SendMessageRequestHeader, body: [UInt8], reply: Bool = false)
        async throws(ClientError)
    {
        try await invokeOneway(address, ClientRequests.sendMessage(header, body: body, reply: reply))
    }

    // MARK: Pull

    /// One PULL_MESSAGE round trip; maps the pull codes to ``PullStatus`` and leaves the body undecoded.
    func pullMessage(address: String, header: PullMessageRequestHeader, timeoutMillis: Int64) async throws(ClientError)
        -> (status: PullStatus, header: PullMessageResponseHeader, body: ByteBuffer?)
    {
        let response = try await invoke(address, ClientRequests.pullMessage(header), timeoutMillis: timeoutMillis)
        let status: PullStatus
        switch response.responseCode {
        case .success: status = .found
        case .pullNotFound: status = .noNewMsg
        case .pullRetryImmediately: status = .noMatchedMsg
        case .pullOffsetMoved: status = .offsetIllegal
        default:
            throw .broker(MQBrokerError(code: response.responseCode, remark: response.remark, address: address))
        }
        do {
            return (status, try response.decodeHeader(PullMessageResponseHeader.self), response.body)
        } catch {
            throw .remoting("bad pull response from \(address): \(error)")
        }
    }

    // MARK: Offsets

    /// The stored consumer offset, or nil when the broker has none (22 QUERY_NOT_FOUND).
    func queryConsumerOffset(address: String, group: String, queue: MessageQueue) async throws(ClientError) -> Int64? {
        let response = try await invoke(address, ClientRequests.queryConsumerOffset(group: group, queue: queue))
        if response.responseCode == .queryNotFound { return nil }
        guard response.responseCode == .success else {
            throw .broker(MQBrokerError(code: response.responseCode, remark: response.remark, address: address))
        }
        return try offset(from: response, address)
    }

    /// Java sends this oneway; so do we (the periodic persist repeats it anyway).
    func updateConsumerOffsetOneway(address: String, group: String, queue: MessageQueue, offset: Int64)
        async throws(ClientError)
    {
        try await invokeOneway(address, ClientRequests.updateConsumerOffset(group: group, queue: queue, offset: offset))
    }

    func maxOffset(address: String, queue: MessageQueue) async throws(ClientError) -> Int64 {
        try offset(from: try await invokeExpectingSuccess(address, ClientRequests.getMaxOffset(queue: queue)), address)
    }

    func minOffset(address: String, queue: MessageQueue) async throws(ClientError) -> Int64 {
        try offset(from: try await invokeExpectingSuccess(address, ClientRequests.getMinOffset(queue: queue)), address)
    }

    func searchOffset(address: String, queue: MessageQueue, timestamp: Int64) async throws(ClientError) -> Int64 {
        try offset(from: try await invokeExpectingSuccess(
            address, ClientRequests.searchOffset(queue: queue, timestamp: timestamp)), address)
    }

    private func offset(from response: RemotingCommand, _ address: String) throws(ClientError) -> Int64 {
        guard let raw = response.extFields["offset"], let value = Int64(raw) else {
            throw .remoting("response from \(address) has no offset")
        }
        return value
    }

    // MARK: Consumers

    func consumerIDList(address: String, group: String) async throws(ClientError) -> [String] {
        let response = try await invokeExpectingSuccess(address, ClientRequests.getConsumerList(group: group))
        guard let body = response.body, body.readableBytes > 0 else { return [] }
        do { return try GetConsumerListByGroupResponseBody(body: body).consumerIdList } catch {
            throw .remoting("bad consumer list from \(address): \(error)")
        }
    }

    func consumerSendMessageBack(address: String, message: MessageExt, group: String, delayLevel: Int32,
                                 maxReconsumeTimes: Int32) async throws(ClientError) {
        _ = try await invokeExpectingSuccess(address, ClientRequests.consumerSendMessageBack(
            message, group: group, delayLevel: delayLevel, maxReconsumeTimes: maxReconsumeTimes))
    }

    func lockBatch(address: String, group: String, clientID: String, queues: [MessageQueue]) async throws(ClientError)
        -> Set<MessageQueue>
    {
        let response = try await invokeExpectingSuccess(
            address, ClientRequests.lockBatch(group: group, clientID: clientID, queues: queues))
        do { return Set(try LockBatchResponseBody(body: response.body).lockOKMQSet) } catch {
            return []
        }
    }

    func unlockBatch(address: String, group: String, clientID: String, queues: [MessageQueue]) async throws(ClientError) {
        try await invokeOneway(address, ClientRequests.unlockBatch(group: group, clientID: clientID, queues: queues))
    }

    func heartbeat(address: String, data: HeartbeatData) async throws(ClientError) {
        _ = try await invokeExpectingSuccess(address, ClientRequests.heartbeat(data))
    }

    func unregisterClient(address: String, clientID: String, producerGroup: String?, consumerGroup: String?)
        async throws(ClientError)
    {
        _ = try await invokeExpectingSuccess(address, ClientRequests.unregisterClient(
            clientID: clientID, producerGroup: producerGroup, consumerGroup: consumerGroup))
    }

    func endTransactionOneway(address: String, header: EndTransactionRequestHeader, remark: String?)
        async throws(ClientError)
    {
        try await invokeOneway(address, ClientRequests.endTransaction(header, remark: remark))
    }
}
