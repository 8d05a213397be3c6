//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQClient
import RocketMQCommon
import RocketMQRemoting
import Synchronization
import Testing

/// Request-reply over real TCP: SEND_REPLY_MESSAGE_V2 from the responder, PUSH_REPLY_MESSAGE_TO_CLIENT
/// from the broker to the requester's connection.
@Suite("Client integration: request-reply", .timeLimit(.minutes(1)))
struct ClientIntegrationTestsRequestReply {
    /// What the responder saw of each request.
    final class Seen: Sendable {
        let requests = Mutex<[MessageExt]>([])
        let replies = Mutex<[SendResult]>([])
    }

    /// A push consumer on `topic` that answers every request with "reply:<body>".
    func startResponder(_ cluster: ClientTestCluster, topic: String, seen: Seen) async throws
        -> (DefaultMQPushConsumer, DefaultMQProducer)
    {
        let replyProducer = try await cluster.startedProducer(cluster.unique("reply_pg"))
        let consumer = cluster.pushConsumer(cluster.unique("responder"))
        try consumer.subscribe(topic, "*")
        consumer.registerMessageListener(concurrently: { messages, _ in
            for m in messages {
                seen.requests.withLock { $0.append(m) }
                guard let reply = try? MessageUtil.createReplyMessage(m, body: Array("reply:\(m.bodyString)".utf8))
                else { return .reconsumeLater }
                do {
                    let r = try await replyProducer.send(reply)
                    seen.replies.withLock { $0.append(r) }
                } catch { return .reconsumeLater }
            }
            return .consumeSuccess
        })
        try await consumer.start()
        return (consumer, replyProducer)
    }

    @Test("a request gets the responder's reply, with the upstream request-reply properties")
    func requestGetsReply() async throws {
        let cluster = try await ClientTestCluster.start()
        let topic = cluster.unique("RequestTopic")
        try await cluster.createTopic(topic, queues: 2)
        let seen = Seen()
        let (consumer, replyProducer) = try await startResponder(cluster, topic: topic, seen: seen)
        let requester = try await cluster.startedProducer(cluster.unique("requester"))

        let reply = try await requester.request(Message(topic: topic, tags: "rpc", body: "ping"), timeout: .seconds(20))

        #expect(reply.bodyString == "reply:ping")
        #expect(reply.topic == "DefaultCluster_REPLY_TOPIC")
        #expect(reply.properties[MessageConst.messageType] == "reply")
        #expect(reply.properties[MessageConst.pushReplyTime] != nil)
        #expect(reply.properties[MessageConst.replyMessageArriveTime] != nil)
        let request = try #require(seen.requests.withLock { $0.first })
        let correlation = try #require(request.properties[MessageConst.correlationID])
        #expect(correlation.count == 36)
        #expect(reply.properties[MessageConst.correlationID] == correlation)
        #expect(request.properties[MessageConst.messageTTL] == "20000")
        #expect(request.properties[MessageConst.cluster] == "DefaultCluster")
        let requesterID = requester.clientConfig.clientID
        #expect(request.properties[MessageConst.messageReplyToClient] == requesterID)
        #expect(reply.properties[MessageConst.messageReplyToClient] == requesterID)
        // storeReplyMessageEnable (default true): the reply was also stored, so it has a real offset id.
        // (The push reaches the requester before the responder's send returns.)
        _ = await clientEventually(.seconds(10)) { seen.replies.withLock { !$0.isEmpty } }
        let stored = try #require(seen.replies.withLock { $0.first })
        #expect(stored.offsetMsgID != "0")
        #expect(stored.offsetMsgID.count == 32)

        await requester.shutdown()
        await consumer.shutdown()
        await replyProducer.shutdown()
        await cluster.shutdown()
    }

    @Test("a request nobody answers fails with requestTimeout once its timeout has passed")
    func requestTimesOut() async throws {
        let cluster = try await ClientTestCluster.start()
        let topic = cluster.unique("NobodyAnswers")
        try await cluster.createTopic(topic, queues: 1)
        let requester = try await cluster.startedProducer(cluster.unique("requester"))
        // Route and connection first, so the request's own send fits its budget on a loaded machine.
        _ = try await requester.send(Message(topic: topic, body: "warm-up"))
        let begin = ContinuousClock.now
        await #expect {
            _ = try await requester.request(Message(topic: topic, body: "anyone?"), timeout: .seconds(2))
        } throws: { error in
            guard case ClientError.requestTimeout(let text)? = error as? ClientError else { return false }
            return text == "send request message to <\(topic)> OK, but wait reply message timeout, 2000 ms."
        }
        let elapsed = ContinuousClock.now - begin
        #expect(elapsed >= .seconds(2))
        #expect(elapsed < .seconds(15))
        await requester.shutdown()
        await cluster.shutdown()
    }

    @Test("with two requesters each reply is pushed to the producer that asked")
    func twoRequestersGetTheirOwnReplies() async throws {
        let cluster = try await ClientTestCluster.start()
        let topic = cluster.unique("TwoRequesters")
        try await cluster.createTopic(topic, queues: 2)
        let seen = Seen()
        let (consumer, replyProducer) = try await startResponder(cluster, topic: topic, seen: seen)
        let a = try await cluster.startedProducer(cluster.unique("requesterA"))
        let b = try await cluster.startedProducer(cluster.unique("requesterB"))
        #expect(a.clientConfig.clientID != b.clientConfig.clientID)

        async let fromA = a.request(Message(topic: topic, body: "from-A"), timeout: .seconds(20))
        async let fromB = b.request(Message(topic: topic, body: "from-B"), timeout: .seconds(20))
        let (replyA, replyB) = try await (fromA, fromB)
        #expect(replyA.bodyString == "reply:from-A")
        #expect(replyB.bodyString == "reply:from-B")
        #expect(replyA.properties[MessageConst.messageReplyToClient] == a.clientConfig.clientID)
        #expect(replyB.properties[MessageConst.messageReplyToClient] == b.clientConfig.clientID)
        // Several rounds, interleaved.
        for i in 0..<5 {
            async let ra = a.request(Message(topic: topic, body: "A\(i)"), timeout: .seconds(20))
            async let rb = b.request(Message(topic: topic, body: "B\(i)"), timeout: .seconds(20))
            let (x, y) = try await (ra, rb)
            #expect(x.bodyString == "reply:A\(i)")
            #expect(y.bodyString == "reply:B\(i)")
        }

        await a.shutdown()
        await b.shutdown()
        await consumer.shutdown()
        await replyProducer.shutdown()
        await cluster.shutdown()
    }

    @Test("a reply for a client the broker does not know is refused with the upstream remark")
    func replyToUnknownClientIsRefused() async throws {
        let cluster = try await ClientTestCluster.start()
        let producer = try await cluster.startedProducer(cluster.unique("replier"))
        var reply = Message(topic: "DefaultCluster_REPLY_TOPIC", body: "orphan")
        reply.properties[MessageConst.messageType] = "reply"
        reply.properties[MessageConst.correlationID] = "c-1"
        reply.properties[MessageConst.messageReplyToClient] = "10.9.9.9@nobody"
        await #expect {
            _ = try await producer.send(reply)
        } throws: { error in
            guard case ClientError.broker(let e)? = error as? ClientError else { return false }
            return e.code == .systemError && e.remark == "push reply message fail, channel of <10.9.9.9@nobody> not found."
        }
        await producer.shutdown()
        await cluster.shutdown()
    }
}
