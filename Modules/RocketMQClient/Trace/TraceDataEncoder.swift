//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// The trace body format (Java `TraceDataEncoder`): records end with FIELD_SPLITOR (\u{2}), fields are
/// separated by CONTENT_SPLITOR (\u{1}). Java readers split on these, so field order is the contract.
public enum TraceDataEncoder {
    /// A record's text and the index keys of its trace message (Java `TraceTransferBean`).
    public struct Transfer: Sendable, Equatable {
        public var data: String
        public var keys: [String]
    }

    public static func encode(_ ctx: TraceContext) -> Transfer {
        let c = String(TraceConstants.contentSplitor)
        let f = String(TraceConstants.fieldSplitor)
        var text = ""
        switch ctx.traceType {
        case .pub:
            if let b = ctx.beans.first {
                text = [ctx.traceType.rawValue, String(ctx.timeStamp), ctx.regionID, ctx.groupName, b.topic, b.msgID,
                        b.tags ?? "null", b.keys ?? "null", b.storeHost, String(b.bodyLength), String(ctx.costTime),
                        String(b.msgType.rawValue), b.offsetMsgID, String(ctx.isSuccess)].joined(separator: c) + f
            }
        case .subBefore:
            for b in ctx.beans {
                text += [ctx.traceType.rawValue, String(ctx.timeStamp), ctx.regionID, ctx.groupName, ctx.requestID,
                         b.msgID, String(b.retryTimes), b.keys ?? "null"].joined(separator: c) + f
            }
        case .subAfter:
            for b in ctx.beans {
                text += [ctx.traceType.rawValue, ctx.requestID, b.msgID, String(ctx.costTime), String(ctx.isSuccess),
                         b.keys ?? "null", String(ctx.contextCode), String(ctx.timeStamp),
                         ctx.groupName].joined(separator: c) + f
            }
        case .endTransaction:
            break  // not produced by this client
        }
        var keys: [String] = []
        for b in ctx.beans {
            keys.append(b.msgID)
            if let k = b.keys, !k.isEmpty { keys.append(k) }
        }
        return Transfer(data: text, keys: keys)
    }

    /// Parses a trace body; records of unknown type or too few fields are skipped (Java `decoderFromTraceDataString`).
    public static func decode(_ data: String) -> [TraceContext] {
        var result: [TraceContext] = []
        for record in data.split(separator: TraceConstants.fieldSplitor) {
            let l = record.split(separator: TraceConstants.contentSplitor, omittingEmptySubsequences: false).map(String.init)
            guard let type = TraceType(rawValue: l[0]) else { continue }
            switch type {
            case .pub:
                guard l.count >= 13, let ts = Int64(l[1]) else { continue }
                var b = TraceBean()
                b.topic = l[4]
                b.msgID = l[5]
                b.tags = l[6]
                b.keys = l[7]
                b.storeHost = l[8]
                b.bodyLength = Int(l[9]) ?? 0
                b.msgType = Int(l[11]).flatMap(TraceMessageType.init(rawValue:)) ?? .normal
                var ctx = TraceContext(traceType: .pub, timeStamp: ts, beans: [])
                ctx.regionID = l[2]
                ctx.groupName = l[3]
                ctx.costTime = Int(l[10]) ?? 0
                if l.count == 13 {
                    ctx.isSuccess = l[12] == "true"
                } else {
                    b.offsetMsgID = l[12]
                    ctx.isSuccess = l[13] == "true"
                }
                ctx.beans = [b]
                result.append(ctx)
            case .subBefore:
                guard l.count >= 8, let ts = Int64(l[1]) else { continue }
                var b = TraceBean()
                b.msgID = l[5]
                b.retryTimes = Int32(l[6]) ?? 0
                b.keys = l[7]
                var ctx = TraceContext(traceType: .subBefore, timeStamp: ts, beans: [b])
                ctx.regionID = l[2]
                ctx.groupName = l[3]
                ctx.requestID = l[4]
                result.append(ctx)
            case .subAfter:
                guard l.count >= 6 else { continue }
                var b = TraceBean()
                b.msgID = l[2]
                b.keys = l[5]
                var ctx = TraceContext(traceType: .subAfter, timeStamp: l.count >= 8 ? Int64(l[7]) ?? 0 : 0, beans: [b])
                ctx.requestID = l[1]
                ctx.costTime = Int(l[3]) ?? 0
                ctx.isSuccess = l[4] == "true"
                if l.count >= 7 { ctx.contextCode = Int(l[6]) ?? 0 }
                if l.count >= 9 { ctx.groupName = l[8] }
                result.append(ctx)
            case .endTransaction:
                guard l.count >= 13, let ts = Int64(l[1]) else { continue }
                var b = TraceBean()
                b.topic = l[4]
                b.msgID = l[5]
                b.tags = l[6]
                b.keys = l[7]
                b.storeHost = l[8]
                var ctx = TraceContext(traceType: .endTransaction, timeStamp: ts, beans: [b])
                ctx.regionID = l[2]
                ctx.groupName = l[3]
                result.append(ctx)
            }
        }
        return result
    }
}
