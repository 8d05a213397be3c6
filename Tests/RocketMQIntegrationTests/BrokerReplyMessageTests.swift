//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQBroker
import RocketMQCommon
import RocketMQRemoting
import Synchronization
import Testing

/// SEND_REPLY_MESSAGE (324, V1 header) and _V2 (325) at the wire: the broker pushes
/// PUSH_REPLY_MESSAGE_TO_CLIENT (326) to the connection that heartbeated as the REPLY_TO_CLIENT producer.
@Suite("Broker reply messages", .timeLimit(.minutes(1)))
struct BrokerReplyMessageTests {
    final class Pushes: Sendable {
        let box = Mutex<[RemotingCommand]>([])
        var all: [RemotingCommand] { box.withLock { $0 } }
    }

    /// A connection registered as producer `clientID` that records (and accepts) pushed replies.
    func requester(_ cluster: BrokerTestCluster, clientID: String, pushes: Pushes) async throws -> RemotingClient {
        var table = ProcessorTable()
        try table.register(ClosureProcessor { request, _ in
            pushes.box.withLock { $0.append(request) }
            return .response(.success)
        }, for: .pushReplyMessageToClient, lane: ExecutionLane(name: "client", capacity: 10))
        let client = cluster.makeClient(processors: table)
        try await cluster.heartbeat(clientID: clientID, producers: ["PG_REQ"], via: client)
        return client
    }

    func replyRequest(code: RequestCode, replyTo: String?, body: String) -> RemotingCommand {
        var p: [String: String] = [MessageConst.messageType: "reply", MessageConst.correlationID: "corr-1",
                                   MessageConst.messageTTL: "3000"]
        p[MessageConst.messageReplyToClient] = replyTo
        let header = BrokerTestCluster.sendHeader(topic: "DefaultCluster_REPLY_TOPIC", properties: MessageProperties.encode(p),
                                                  group: "PG_REPLY")
        return code == .sendReplyMessage
            ? .request(code, header: header, body: ByteBuffer(string: body))
            : .request(code, header: SendMessageRequestHeaderV2(header), body: ByteBuffer(string: body))
    }

    @Test("324 and 325 push the reply to the requester's connection and store it")
    func replyIsPushedAndStored() async throws {
        try await BrokerTestCluster.with { cluster in
            let pushes = Pushes()
            let client = try await requester(cluster, clientID: "127.0.0.1@req-1", pushes: pushes)
            _ = client
            for (i, code) in [RequestCode.sendReplyMessage, .sendReplyMessageV2].enumerated() {
                let r = try await cluster.invoke(replyRequest(code: code, replyTo: "127.0.0.1@req-1", body: "answer-\(i)"))
                #expect(r.code == 0, "\(code): \(r)")
                #expect(r.extFields["MSG_REGION"] == "DefaultRegion")
                #expect(r.extFields["TRACE_ON"] == "true")
                let h = try r.decodeHeader(SendMessageResponseHeader.self)
                #expect(h.msgID.count == 32, "stored replies answer with their offset id: \(h.msgID)")
                #expect(pushes.all.count == i + 1)
                let push = try #require(pushes.all.last)
                #expect(push.code == RequestCode.pushReplyMessageToClient.rawValue)
                #expect(push.bodyString == "answer-\(i)")
                let ph = try push.decodeHeader(ReplyMessageRequestHeader.self)
                #expect(ph.topic == "DefaultCluster_REPLY_TOPIC")
                #expect(ph.producerGroup == "PG_REPLY")
                #expect(ph.bornHost.hasPrefix("/127.0.0.1:"))
                #expect(ph.storeHost.hasPrefix("/127.0.0.1:"))
                let props = MessageProperties.decode(ph.properties ?? "")
                #expect(props[MessageConst.correlationID] == "corr-1")
                #expect(props[MessageConst.pushReplyTime].flatMap(Int64.init) != nil)
            }
        }
    }

    @Test("storeReplyMessageEnable=false pushes only and answers msgId 0")
    func replyNotStoredWhenDisabled() async throws {
        try await BrokerTestCluster.with({ $0.storeReplyMessageEnable = false }) { cluster in
            let pushes = Pushes()
            let client = try await requester(cluster, clientID: "127.0.0.1@req-2", pushes: pushes)
            _ = client
            let r = try await cluster.invoke(replyRequest(code: .sendReplyMessageV2, replyTo: "127.0.0.1@req-2", body: "x"))
            #expect(r.code == 0, "\(r)")
            #expect(try r.decodeHeader(SendMessageResponseHeader.self).msgID == "0")
            #expect(pushes.all.count == 1)
            #expect(cluster.broker.store.maxOffsetInQueue(topic: "DefaultCluster_REPLY_TOPIC", queueID: 0) == 0)
        }
    }

    @Test("a reply without REPLY_TO_CLIENT is refused with the upstream remark")
    func replyWithoutReplyToIsRefused() async throws {
        try await BrokerTestCluster.with { cluster in
            let r = try await cluster.invoke(replyRequest(code: .sendReplyMessage, replyTo: nil, body: "x"))
            #expect(r.code == ResponseCode.systemError.rawValue)
            #expect(r.remark == "reply message properties[REPLY_TO_CLIENT] is null")
        }
    }
}
