//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon
import RocketMQRemoting

/// QUERY_MESSAGE (12) by index key and VIEW_MESSAGE_BY_ID (33) by commit-log offset
/// (Java `QueryMessageProcessor`).
struct QueryMessageProcessor: RequestProcessor {
    let broker: BrokerController

    func processRequest(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand? {
        if request.requestCode == .viewMessageByID {
            let h = try request.decodeHeader(ViewMessageRequestHeader.self)
            guard let slice = broker.store.selectOneMessageByOffset(h.offset) else {
                return .response(.systemError, remark: "can not find message by the offset, \(h.offset)")
            }
            return .response(body: adaptedForClient(slice.byteBuffer, topic: "", count: 1, request: request))
        }
        let h = try request.decodeHeader(QueryMessageRequestHeader.self)
        var maxNum = Int(h.maxNum)
        if request.extFields["_UNIQUE_KEY_QUERY"] == "true" { maxNum = 32 }
        let result = broker.store.queryMessage(topic: h.topic, key: h.key, maxNum: maxNum, begin: h.beginTimestamp,
                                               end: h.endTimestamp)
        let header = QueryMessageResponseHeader(indexLastUpdateTimestamp: result.indexLastUpdateTimestamp,
                                                indexLastUpdatePhyoffset: result.indexLastUpdatePhyoffset)
        guard !result.messages.isEmpty else {
            return .response(.queryNotFound, remark: "can not find message, maybe time range not correct", header: header)
        }
        var body = ByteBufferAllocator().buffer(capacity: result.messages.reduce(0) { $0 + $1.size })
        for m in result.messages { m.withUnsafeBytes { body.writeBytes($0) } }
        return .response(header: header,
                         body: adaptedForClient(body, topic: h.topic, count: result.messages.count, request: request))
    }

    /// Runs the pull hooks on queried messages too, so the requester gets bodies it can decode (e.g. no
    /// at-rest codec a 4.x client does not know). Queries have no consumer group or queue.
    func adaptedForClient(_ body: ByteBuffer, topic: String, count: Int, request: RemotingCommand) -> ByteBuffer {
        let hooks = broker.extensions.pullMessageHooks
        guard !hooks.isEmpty else { return body }
        var context = PullHookContext(consumerGroup: "", topic: topic, queueID: -1, clientLanguage: request.language,
                                      clientVersion: request.version,
                                      body: body.getBytes(at: body.readerIndex, length: body.readableBytes) ?? [],
                                      messageCount: count)
        for hook in hooks { hook.pulled(&context) }
        return ByteBuffer(bytes: context.body)
    }
}
