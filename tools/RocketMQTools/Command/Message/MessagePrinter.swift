//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// The message detail block the query commands print (Java `QueryMsgByIdSubCommand.printMsg`).
/// The body is printed inline ("Message Body:") instead of being written to a temp file.
enum MessagePrinter {
    static func print(_ m: MessageExt) {
        func field(_ name: String, _ value: Any) { out.write(Tools.left(name, 20) + " \(value)\n") }
        field("OffsetID:", m.offsetMsgID)
        field("Unique Key:", m.msgID)
        field("Topic:", m.topic)
        field("Tags:", "[\(m.tags ?? "null")]")
        field("Keys:", "[\(m.keys ?? "null")]")
        field("Queue ID:", m.queueID)
        field("Queue Offset:", m.queueOffset)
        field("CommitLog Offset:", m.commitLogOffset)
        field("Reconsume Times:", m.reconsumeTimes)
        field("Born Timestamp:", Tools.formatDateMillis(m.bornTimestamp))
        field("Store Timestamp:", Tools.formatDateMillis(m.storeTimestamp))
        field("Born Host:", "\(m.bornHost.hostString):\(m.bornHost.port)")
        field("Store Host:", "\(m.storeHost.hostString):\(m.storeHost.port)")
        field("System Flag:", m.sysFlag)
        let props = m.properties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        field("Properties:", "{\(props)}")
        field("Message Body:", m.bodyString)
    }
}
