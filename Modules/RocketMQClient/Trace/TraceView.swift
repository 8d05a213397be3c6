//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// One trace record of one message, as tools show it (Java `TraceView`).
public struct TraceView: Sendable, Equatable {
    public var msgID: String
    public var tags: String?
    public var keys: String?
    public var storeHost: String
    /// The host that sent the trace message (its born host).
    public var clientHost: String
    public var costTime: Int
    /// "Pub", "SubBefore", "SubAfter", "EndTransaction".
    public var msgType: String
    public var offsetMsgID: String
    public var timeStamp: Int64
    public var topic: String
    public var groupName: String
    /// "success" or "failed".
    public var status: String

    /// The records of `msgID` in one trace message (Java `decodeFromTraceTransData`).
    public static func decode(msgID: String, traceMessage: MessageExt) -> [TraceView] {
        let body = traceMessage.bodyString
        return TraceDataEncoder.decode(body).compactMap { ctx -> TraceView? in
            guard let bean = ctx.beans.first, bean.msgID == msgID else { return nil }
            return TraceView(
                msgID: bean.msgID, tags: bean.tags, keys: bean.keys, storeHost: bean.storeHost,
                clientHost: traceMessage.bornHost.hostString, costTime: ctx.costTime, msgType: ctx.traceType.rawValue,
                offsetMsgID: bean.offsetMsgID, timeStamp: ctx.timeStamp, topic: bean.topic, groupName: ctx.groupName,
                status: ctx.isSuccess ? "success" : "failed")
        }
    }
}
