//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon
import RocketMQCompression
import RocketMQRemoting

/// Serves the requests brokers send to clients (Java `ClientRemotingProcessor`, PROTOCOL.md §3.3).
struct ClientRemotingProcessor: RequestProcessor {
    static let codes: [RequestCode] = [
        .checkTransactionState, .notifyConsumerIdsChanged, .resetConsumerClientOffset, .getConsumerRunningInfo,
        .consumeMessageDirectly, .pushReplyMessageToClient,
    ]

    let holder: InstanceHolder

    func processRequest(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand? {
        guard let instance = holder.instance else {
            return .response(.systemError, remark: "client instance is gone")
        }
        switch request.requestCode {
        case .checkTransactionState:
            await checkTransactionState(request, context: context, instance: instance)
            return nil
        case .notifyConsumerIdsChanged:
            let group = request.extFields["consumerGroup"] ?? "?"
            instance.logger.info("consumer ids changed, rebalance now", metadata: ["rocketmq.group": "\(group)"])
            instance.rebalanceImmediately()
            return nil
        case .resetConsumerClientOffset:
            let header = try request.decodeHeader(ResetOffsetRequestHeader.self)
            var offsets: [MessageQueue: Int64] = [:]
            if let body = request.body, body.readableBytes > 0, let json = try? JSONParser.parse(request.bodyBytes) {
                offsets = ResetOffsetBody(json: json).offsetTable
            }
            if let consumer = instance.consumer(group: header.group) {
                await consumer.resetOffset(topic: header.topic, offsets: offsets)
            }
            return request.isOneway ? nil : .response(.success)
        case .getConsumerRunningInfo:
            let header = try request.decodeHeader(GetConsumerRunningInfoRequestHeader.self)
            guard let consumer = instance.consumer(group: header.consumerGroup) else {
                return .response(.systemError, remark: "The Consumer Group <\(header.consumerGroup)> not exist in this consumer")
            }
            return .response(.success, body: ByteBuffer(bytes: JSONWriter.bytes(runningInfo(consumer))))
        case .consumeMessageDirectly:
            let header = try request.decodeHeader(ConsumeMessageDirectlyResultRequestHeader.self)
            guard let consumer = instance.consumer(group: header.consumerGroup) else {
                return .response(.systemError, remark: "The Consumer Group <\(header.consumerGroup)> not exist in this consumer")
            }
            guard let body = request.body, let message = try? MessageDecoder.decodeAll(body).first else {
                return .response(.systemError, remark: "cannot decode the message")
            }
            let start = Clock.millis()
            let (result, remark) = await consumer.consumeMessageDirectly(message, brokerName: header.brokerName)
            var fields: [(String, JSONValue)] = [
                ("autoCommit", .bool(true)), ("consumeResult", .string(result)), ("order", .bool(false)),
            ]
            if let remark { fields.append(("remark", .string(remark))) }
            fields.append(("spentTimeMills", .int(Clock.millis() - start)))
            return .response(.success, body: ByteBuffer(bytes: JSONWriter.bytes(.object(fields))))
        case .pushReplyMessageToClient:
            return try receiveReplyMessage(request, instance: instance)
        default:
            return .response(.requestCodeNotSupported, remark: "request type \(request.code) not supported")
        }
    }

    /// A simple `ConsumerRunningInfo`: properties and subscriptions, empty queue/status tables.
    private func runningInfo(_ consumer: any MQConsumerInner) -> JSONValue {
        let data = consumer.consumerData()
        var properties = consumer.runningInfoProperties()
        properties["PROP_CONSUME_TYPE"] = data.consumeType.rawValue
        properties["PROP_CONSUMER_START_TIMESTAMP"] = properties["PROP_CONSUMER_START_TIMESTAMP"] ?? "0"
        return .object([
            ("jstack", .string("")),
            ("mqTable", .object([])),
            ("properties", .object(properties.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("statusTable", .object([])),
            ("subscriptionSet", .array(data.subscriptionDataSet.map { $0.toJSON() })),
        ])
    }

    /// PUSH_REPLY_MESSAGE_TO_CLIENT: rebuilds the reply (Java `receiveReplyMessage`) and wakes its request.
    /// Answers SUCCESS even when no request waits any more (it timed out), as upstream does.
    private func receiveReplyMessage(_ request: RemotingCommand, instance: MQClientInstance) throws -> RemotingCommand {
        let receivedAt = Clock.millis()
        let header = try request.decodeHeader(ReplyMessageRequestHeader.self)
        var body = request.bodyBytes
        if header.sysFlag & MessageSysFlag.compressed != 0 {
            do { body = try instance.compressors.decompressBody(body, sysFlag: header.sysFlag) } catch {
                return .response(.systemError, remark: "cannot decompress the reply body: \(error)")
            }
        }
        var properties = MessageProperties.decode(header.properties ?? "")
        properties[MessageConst.replyMessageArriveTime] = String(receivedAt)
        let message = MessageExt(
            topic: header.topic, flag: header.flag, properties: properties, body: body, storeSize: 0, bodyCRC: 0,
            queueID: header.queueID, queueOffset: 0, commitLogOffset: 0, sysFlag: header.sysFlag,
            bornTimestamp: header.bornTimestamp, bornHost: Self.javaSocketAddress(header.bornHost),
            storeTimestamp: header.storeTimestamp, storeHost: Self.javaSocketAddress(header.storeHost),
            reconsumeTimes: header.reconsumeTimes ?? 0, preparedTransactionOffset: 0)
        guard let correlationID = properties[MessageConst.correlationID] else {
            instance.logger.warning("reply message without CORRELATION_ID")
            return .response(.success)
        }
        if !instance.requestFutures.complete(correlationID, with: message) {
            instance.logger.warning("receive reply message, but not matched any request",
                                    metadata: ["correlationId": "\(correlationID)"])
        }
        return .response(.success)
    }

    /// Java `InetSocketAddress.toString()` ("host/1.2.3.4:port" or "/1.2.3.4:port") to address bytes.
    static func javaSocketAddress(_ text: String) -> SocketAddressBytes {
        let tail = text.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? text
        return SocketAddressBytes(ipv4HostPort: tail) ?? .zero
    }

    private func checkTransactionState(_ request: RemotingCommand, context: RequestContext,
                                       instance: MQClientInstance) async {
        guard let header = try? request.decodeHeader(CheckTransactionStateRequestHeader.self),
              let body = request.body, let message = try? MessageDecoder.decodeAll(body).first,
              let group = message.properties[MessageConst.producerGroup],
              let producer = instance.producer(group: group)
        else {
            instance.logger.warning("cannot handle CHECK_TRANSACTION_STATE (bad message or unknown producer group)")
            return
        }
        await producer.checkTransactionState(brokerAddress: context.remoteAddressString, message: message, header: header)
    }
}
