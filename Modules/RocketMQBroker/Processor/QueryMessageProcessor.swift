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
            return .response(body: slice.byteBuffer)
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
        return .response(header: header, body: body)
    }
}
