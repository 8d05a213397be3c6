//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

@testable import RocketMQClient
import Testing

@Suite("Trace data encoding")
struct TraceDataEncoderTests {
    @Test("a Pub record has upstream's 14 fields, absent tags print as null, keys index id and keys")
    func pubRecord() {
        var bean = TraceBean()
        bean.topic = "T"
        bean.msgID = "ID1"
        bean.offsetMsgID = "OFF1"
        bean.keys = "k1"
        bean.storeHost = "127.0.0.1:10911"
        bean.bodyLength = 5
        var ctx = TraceContext(traceType: .pub, timeStamp: 1_700_000_000_000, beans: [bean])
        ctx.regionID = "DefaultRegion"
        ctx.groupName = "PG"
        ctx.costTime = 3
        let t = TraceDataEncoder.encode(ctx)
        #expect(t.data == "Pub\u{1}1700000000000\u{1}DefaultRegion\u{1}PG\u{1}T\u{1}ID1\u{1}null\u{1}k1\u{1}127.0.0.1:10911\u{1}5\u{1}3\u{1}0\u{1}OFF1\u{1}true\u{2}")
        #expect(t.keys == ["ID1", "k1"])
        let back = TraceDataEncoder.decode(t.data)
        #expect(back.count == 1)
        #expect(back.first?.beans.first?.offsetMsgID == "OFF1")
        #expect(back.first?.groupName == "PG")
        #expect(back.first?.costTime == 3)
    }

    @Test("SubBefore and SubAfter records decode, including Java's 13-field Pub of old clients")
    func otherRecords() {
        let java = "SubBefore\u{1}1\u{1}R\u{1}CG\u{1}REQ\u{1}ID1\u{1}2\u{1}k\u{2}"
            + "SubAfter\u{1}REQ\u{1}ID1\u{1}7\u{1}false\u{1}k\u{1}4\u{1}9\u{1}CG\u{2}"
            + "Pub\u{1}1\u{1}R\u{1}PG\u{1}T\u{1}ID2\u{1}t\u{1}k\u{1}h\u{1}1\u{1}2\u{1}0\u{1}true\u{2}"
        let all = TraceDataEncoder.decode(java)
        #expect(all.map(\.traceType) == [.subBefore, .subAfter, .pub])
        #expect(all[0].requestID == "REQ" && all[0].beans[0].retryTimes == 2)
        #expect(all[1].isSuccess == false && all[1].costTime == 7 && all[1].contextCode == 4)
        #expect(all[1].timeStamp == 9 && all[1].groupName == "CG")
        #expect(all[2].isSuccess && all[2].beans[0].offsetMsgID == "")
        var after = TraceContext(traceType: .subAfter, timeStamp: 9, beans: [all[1].beans[0]])
        after.requestID = "REQ"
        after.costTime = 7
        after.isSuccess = false
        after.contextCode = 4
        after.groupName = "CG"
        #expect(TraceDataEncoder.encode(after).data == "SubAfter\u{1}REQ\u{1}ID1\u{1}7\u{1}false\u{1}k\u{1}4\u{1}9\u{1}CG\u{2}")
    }
}
