//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import RocketMQCommon
import RocketMQRemoting
import RocketMQStore

/// SEND_REPLY_MESSAGE (324) and SEND_REPLY_MESSAGE_V2 (325) (Java `ReplyMessageProcessor`).
///
/// A responder sends its reply (topic `<cluster>_REPLY_TOPIC`, property `MSG_TYPE=reply`); the broker
/// pushes it with PUSH_REPLY_MESSAGE_TO_CLIENT (326) to the connection of the producer whose client id is
/// in `REPLY_TO_CLIENT`, then stores it when `storeReplyMessageEnable`. As upstream, the push decides the
/// answer: SYSTEM_ERROR when the requester is unknown or refuses, else SUCCESS (with the stored id when
/// the store succeeded too, msgId "0" otherwise).
struct ReplyMessageProcessor: RequestProcessor {
    let broker: BrokerController
    /// Java `Broker2Client.callClient` waits this long for the requester's answer.
    static let pushTimeoutMillis: Int64 = 10_000

    func processRequest(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand? {
        var header: SendMessageRequestHeader
        if request.code == RequestCode.sendReplyMessage.rawValue {
            header = try request.decodeHeader(SendMessageRequestHeader.self)
        } else {
            header = try request.decodeHeader(SendMessageRequestHeaderV2.self).v1
        }
        let send = SendMessageProcessor(broker: broker)
        let config = broker.config
        let (topicConfig, _, refusal, created) = send.msgCheck(&header, config: config, context: context)
        if let refusal { return send.withSendExtFields(refusal, config: config) }
        if created { await broker.registerBrokerAll() }
        guard topicConfig != nil else {
            return send.withSendExtFields(.response(.systemError, remark: "topic config missing"), config: config)
        }

        let body = request.body ?? ByteBuffer()
        let propertiesString = header.properties ?? ""
        let properties = MessageProperties.decode(propertiesString)
        let pushRemark = await push(header: header, properties: properties, body: body, context: context)

        var response: RemotingCommand
        if let pushRemark {
            response = .response(.systemError, remark: pushRemark)
        } else {
            // "0" keeps clients' id decoding happy when the reply is not stored (upstream does the same).
            var responseHeader = SendMessageResponseHeader(msgID: "0", queueID: header.queueID, queueOffset: 0)
            if config.storeReplyMessageEnable,
               let append = await store(header: header, propertiesString: propertiesString, properties: properties,
                                        body: body, context: context)
            {
                responseHeader = SendMessageResponseHeader(msgID: append.msgID, queueID: header.queueID,
                                                           queueOffset: append.logicsOffset)
            }
            response = .response(.success, header: responseHeader)
        }
        return send.withSendExtFields(response, config: config)
    }

    /// Pushes the reply to the requester's channel. - Returns: nil when the requester took it, else the remark.
    private func push(header: SendMessageRequestHeader, properties: [String: String], body: ByteBuffer,
                      context: RequestContext) async -> String?
    {
        let replyTo = MessageConst.messageReplyToClient
        guard let clientID = properties[replyTo] else {
            broker.logger.warning("\(replyTo) is null, can not reply message")
            return "reply message properties[\(replyTo)] is null"
        }
        guard let channel = broker.producerManager.findChannel(clientID: clientID), let server = broker.server else {
            let remark = "push reply message fail, channel of <\(clientID)> not found."
            broker.logger.warning("\(remark)")
            return remark
        }
        var pushed = properties
        pushed[MessageConst.pushReplyTime] = String(Clock.millis())
        var pushHeader = ReplyMessageRequestHeader(
            send: header, bornHost: SocketAddressBytes(context.remoteAddress).description,
            storeHost: broker.storeHost.description, storeTimestamp: Clock.millis())
        pushHeader.properties = MessageProperties.encode(pushed)
        let request = RemotingCommand.request(.pushReplyMessageToClient, header: pushHeader, body: body)
        do {
            let answer = try await server.invoke(request, on: channel, timeoutMillis: Self.pushTimeoutMillis)
            if answer.code == ResponseCode.success.rawValue { return nil }
            broker.logger.warning("push reply message refused",
                                  metadata: ["client": "\(clientID)", "remark": "\(answer.remark ?? "")"])
        } catch {
            broker.logger.warning("push reply message failed", metadata: ["client": "\(clientID)", "error": "\(error)"])
        }
        return "push reply message to \(clientID)fail."
    }

    /// Stores the reply; a failure is only logged (upstream keeps the push result as the answer).
    private func store(header: SendMessageRequestHeader, propertiesString: String, properties: [String: String],
                       body: ByteBuffer, context: RequestContext) async -> AppendMessageResult?
    {
        let inner = MessageExtBrokerInner(
            topic: header.topic, queueID: header.queueID, flag: header.flag, body: body,
            propertiesString: propertiesString,
            tagsCode: MessageExtBrokerInner.tagsString2tagsCode(properties[MessageConst.tags]),
            sysFlag: header.sysFlag, bornTimestamp: header.bornTimestamp,
            bornHost: SocketAddressBytes(context.remoteAddress), storeHost: broker.storeHost,
            reconsumeTimes: header.reconsumeTimes ?? 0)
        let result = await broker.putMessage(inner)
        switch result.status {
        case .putOK, .flushDiskTimeout, .flushSlaveTimeout, .slaveNotAvailable:
            return result.appendResult
        default:
            broker.logger.warning("store reply message failed",
                                  metadata: ["status": "\(result.status.rawValue)", "remark": "\(result.remark ?? "")"])
            return nil
        }
    }
}
