//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting
import Testing

@testable import RocketMQClient

/// Every request the client sends, compared with the header tables of PROTOCOL.md §4.
@Suite struct RequestHeaderGoldenTests {
    let mq = MessageQueue(topic: "T", brokerName: "broker-a", queueID: 2)

    @Test func getRouteInfo() {
        let r = ClientRequests.getRouteInfo(topic: "T")
        #expect(r.code == 105)
        #expect(r.extFields == ["topic": "T", "acceptStandardJsonOnly": "true"])
    }

    @Test func sendMessageV2UsesOneLetterKeys() {
        let h = SendMessageRequestHeader(producerGroup: "PG", topic: "T", queueID: 1, sysFlag: 0, bornTimestamp: 1000,
                                         flag: 0, properties: "UNIQ_KEY\u{1}X", reconsumeTimes: 0, batch: false,
                                         brokerName: "broker-a")
        let r = ClientRequests.sendMessage(h, body: [1, 2])
        #expect(r.code == 310)
        #expect(r.extFields == ["a": "PG", "b": "T", "c": "TBW102", "d": "4", "e": "1", "f": "0", "g": "1000", "h": "0",
                                "i": "UNIQ_KEY\u{1}X", "j": "0", "k": "false", "m": "false", "n": "broker-a"])
        #expect(r.bodyBytes == [1, 2])
    }

    @Test func batchSendUsesCode320AndBatchFlag() {
        var h = SendMessageRequestHeader(producerGroup: "PG", topic: "T", queueID: 0, bornTimestamp: 1, properties: "WAIT\u{1}true")
        h.batch = true
        let r = ClientRequests.sendMessage(h, body: [0])
        #expect(r.code == 320)
        #expect(r.extFields["m"] == "true")
    }

    @Test func pullMessage() {
        let r = ClientRequests.pullMessage(PullMessageRequestHeader(
            consumerGroup: "G", topic: "T", queueID: 2, queueOffset: 10, maxMsgNums: 32, sysFlag: 7, commitOffset: 9,
            suspendTimeoutMillis: 15000, subscription: "*", subVersion: 5, expressionType: "TAG"))
        #expect(r.code == 11)
        #expect(r.extFields == ["consumerGroup": "G", "topic": "T", "queueId": "2", "queueOffset": "10", "maxMsgNums": "32",
                                "sysFlag": "7", "commitOffset": "9", "suspendTimeoutMillis": "15000", "subscription": "*",
                                "subVersion": "5", "expressionType": "TAG"])
    }

    @Test func offsetRequests() {
        let q = ClientRequests.queryConsumerOffset(group: "G", queue: mq)
        #expect(q.code == 14)
        #expect(q.extFields == ["consumerGroup": "G", "topic": "T", "queueId": "2"])
        let u = ClientRequests.updateConsumerOffset(group: "G", queue: mq, offset: 7)
        #expect(u.code == 15)
        #expect(u.extFields == ["consumerGroup": "G", "topic": "T", "queueId": "2", "commitOffset": "7"])
        let mx = ClientRequests.getMaxOffset(queue: mq)
        #expect(mx.code == 30)
        #expect(mx.extFields == ["topic": "T", "queueId": "2"])
        let mn = ClientRequests.getMinOffset(queue: mq)
        #expect(mn.code == 31)
        #expect(mn.extFields == ["topic": "T", "queueId": "2"])
        let s = ClientRequests.searchOffset(queue: mq, timestamp: 123)
        #expect(s.code == 29)
        #expect(s.extFields == ["topic": "T", "queueId": "2", "timestamp": "123"])
    }

    @Test func consumerManagement() {
        let l = ClientRequests.getConsumerList(group: "G")
        #expect(l.code == 38)
        #expect(l.extFields == ["consumerGroup": "G"])
        let u = ClientRequests.unregisterClient(clientID: "ip@1", producerGroup: "PG", consumerGroup: nil)
        #expect(u.code == 35)
        #expect(u.extFields == ["clientID": "ip@1", "producerGroup": "PG"])
        let hb = ClientRequests.heartbeat(HeartbeatData(clientID: "ip@1", producerDataSet: [ProducerData(groupName: "PG")],
                                                        consumerDataSet: []))
        #expect(hb.code == 34)
        #expect(hb.extFields.isEmpty)
        let body = String(decoding: hb.bodyBytes, as: UTF8.self)
        #expect(body.contains("\"clientID\":\"ip@1\""))
        #expect(body.contains("\"producerDataSet\":[{\"groupName\":\"PG\"}]"))
        let lock = ClientRequests.lockBatch(group: "G", clientID: "ip@1", queues: [mq])
        #expect(lock.code == 41)
        let lockBody = String(decoding: lock.bodyBytes, as: UTF8.self)
        #expect(lockBody.contains("\"consumerGroup\":\"G\"") && lockBody.contains("\"clientId\":\"ip@1\"")
            && lockBody.contains("\"mqSet\""))
        #expect(ClientRequests.unlockBatch(group: "G", clientID: "ip@1", queues: [mq]).code == 42)
    }

    @Test func sendBackAndEndTransaction() {
        let m = MessageExt(topic: "T", flag: 0, properties: ["UNIQ_KEY": "U1"], body: [], storeSize: 0, bodyCRC: 0,
                           queueID: 0, queueOffset: 0, commitLogOffset: 4096, sysFlag: 0, bornTimestamp: 0,
                           bornHost: .zero, storeTimestamp: 0, storeHost: .zero, reconsumeTimes: 0,
                           preparedTransactionOffset: 0)
        let b = ClientRequests.consumerSendMessageBack(m, group: "G", delayLevel: 0, maxReconsumeTimes: 16)
        #expect(b.code == 36)
        #expect(b.extFields == ["offset": "4096", "group": "G", "delayLevel": "0", "originMsgId": "U1",
                                "originTopic": "T", "unitMode": "false", "maxReconsumeTimes": "16"])
        let e = ClientRequests.endTransaction(EndTransactionRequestHeader(
            producerGroup: "PG", tranStateTableOffset: 3, commitLogOffset: 100, commitOrRollback: 8,
            fromTransactionCheck: false, msgID: "U1", transactionID: "U1"), remark: nil)
        #expect(e.code == 37)
        #expect(e.extFields == ["producerGroup": "PG", "tranStateTableOffset": "3", "commitLogOffset": "100",
                                "commitOrRollback": "8", "fromTransactionCheck": "false", "msgId": "U1",
                                "transactionId": "U1"])
        #expect(LocalTransactionState.commitMessage.commitOrRollback == 8)
        #expect(LocalTransactionState.rollbackMessage.commitOrRollback == 12)
        #expect(LocalTransactionState.unknow.commitOrRollback == 0)
    }

    @Test func adminRequests() {
        let c = ClientRequests.createTopic(TopicConfig(topicName: "T", readQueueNums: 8, writeQueueNums: 8, perm: 6))
        #expect(c.code == 17)
        #expect(c.extFields["topic"] == "T" && c.extFields["defaultTopic"] == "TBW102"
            && c.extFields["readQueueNums"] == "8" && c.extFields["writeQueueNums"] == "8" && c.extFields["perm"] == "6"
            && c.extFields["topicFilterType"] == "SINGLE_TAG" && c.extFields["order"] == "false")
        let q = ClientRequests.queryMessage(topic: "T", key: "k", maxNum: 32, begin: 0, end: 9, uniqueKey: true)
        #expect(q.code == 12)
        #expect(q.extFields == ["topic": "T", "key": "k", "maxNum": "32", "beginTimestamp": "0", "endTimestamp": "9",
                                "_UNIQUE_KEY_QUERY": "true"])
        let v = ClientRequests.viewMessage(commitLogOffset: 77)
        #expect(v.code == 33)
        #expect(v.extFields == ["offset": "77"])
    }
}
