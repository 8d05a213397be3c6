//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting

/// Request-reply (Java `DefaultMQProducerImpl.request`): send a message and wait for the reply a consumer
/// sends with ``MessageUtil/createReplyMessage(_:body:)``; the broker pushes it back to this client.
extension DefaultMQProducer {
    /// Sends `message` and returns the reply.
    ///
    /// Stamps `CORRELATION_ID` (a fresh UUID), `REPLY_TO_CLIENT` (this client's id) and `TTL` (the timeout in
    /// milliseconds), as upstream does. The timeout covers the send and the wait.
    /// - Throws: ``ClientError/requestTimeout(_:)`` when the send succeeded but no reply came in time; the
    ///   send's own error when the send failed.
    public func request(_ message: Message, timeout: Duration) async throws(ClientError) -> MessageExt {
        let begin = ContinuousClock.now
        let instance = try runningInstance()
        let timeoutMillis = max(1, timeout.milliseconds)
        var message = message
        let correlationID = UUIDString.random()
        message.properties[MessageConst.correlationID] = correlationID
        message.properties[MessageConst.messageReplyToClient] = instance.clientID
        message.properties[MessageConst.messageTTL] = String(timeoutMillis)
        // The broker finds this client by its heartbeat; make sure the topic's brokers have one first.
        if !instance.hasRoute(message.topic) {
            _ = try? await instance.topicPublishInfo(message.topic)
            await instance.sendHeartbeatToAllBrokers()
        }
        let outgoing = try prepare(message)
        instance.requestFutures.register(correlationID)
        do throws(ClientError) {
            let left = timeoutMillis - (ContinuousClock.now - begin).milliseconds
            guard left > 0 else { throw ClientError.requestTimeout(Self.timeoutText(message.topic, timeoutMillis)) }
            _ = try await sendDefault(outgoing, mode: .sync, timeoutMillis: left)
        } catch {
            instance.requestFutures.expire(correlationID)
            throw error
        }
        let remaining = timeout - (ContinuousClock.now - begin)
        guard remaining > .zero, let reply = await instance.requestFutures.wait(correlationID, timeout: remaining)
        else {
            instance.requestFutures.expire(correlationID)
            throw .requestTimeout(Self.timeoutText(message.topic, timeoutMillis))
        }
        return reply
    }

    static func timeoutText(_ topic: String, _ millis: Int64) -> String {
        "send request message to <\(topic)> OK, but wait reply message timeout, \(millis) ms."
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var milliseconds: Int64 {
        Int64(components.seconds) * 1000 + Int64(components.attoseconds / 1_000_000_000_000_000)
    }
}

/// Java `CorrelationIdUtil.createCorrelationId()`: a random (version 4) UUID, lower-case.
enum UUIDString {
    static func random() -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }.joined(separator: "-")
    }
}
