//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting

/// GET_CONSUMER_LIST_BY_GROUP (38), QUERY_CONSUMER_OFFSET (14), UPDATE_CONSUMER_OFFSET (15)
/// (Java `ConsumerManageProcessor`).
struct ConsumerManageProcessor: RequestProcessor {
    let broker: BrokerController

    func processRequest(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand? {
        switch request.requestCode {
        case .getConsumerListByGroup:
            let h = try request.decodeHeader(GetConsumerListByGroupRequestHeader.self)
            guard let info = broker.consumerManager.group(h.consumerGroup), !info.channels.isEmpty else {
                return .response(.systemError, remark: "no consumer for this group, \(h.consumerGroup)")
            }
            return .response(body: GetConsumerListByGroupResponseBody(consumerIdList: info.clientIDs).encodedBody())
        case .updateConsumerOffset:
            let h = try request.decodeHeader(UpdateConsumerOffsetRequestHeader.self)
            broker.consumerOffsetManager.commitOffset(group: h.consumerGroup, topic: h.topic, queueID: h.queueID,
                                                      offset: h.commitOffset)
            return .response()
        case .queryConsumerOffset:
            let h = try request.decodeHeader(QueryConsumerOffsetRequestHeader.self)
            let offset = broker.consumerOffsetManager.queryOffset(group: h.consumerGroup, topic: h.topic, queueID: h.queueID)
            if offset >= 0 { return .response(header: QueryConsumerOffsetResponseHeader(offset: offset)) }
            // Upstream: a never-committed queue whose first message is still "hot" starts at 0.
            let minOffset = broker.store.minOffsetInQueue(topic: h.topic, queueID: h.queueID)
            if minOffset <= 0 || h.setZeroIfNotFound == true {
                return .response(header: QueryConsumerOffsetResponseHeader(offset: 0))
            }
            return .response(.queryNotFound, remark: "Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first")
        default:
            // Only reachable if the processor table routes a code here that this switch does not list.
            return .response(.requestCodeNotSupported, remark: " request type \(request.code) not supported")
        }
    }
}
