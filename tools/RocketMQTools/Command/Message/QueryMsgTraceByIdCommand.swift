//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import RocketMQClient
import RocketMQCommon

/// `queryMsgTraceById` (Java `QueryMsgTraceByIdSubCommand`): finds the trace messages indexed by the
/// message id in the trace topic and prints the Pub records, then the SubAfter records per consumer group.
struct QueryMsgTraceByIdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queryMsgTraceById", abstract: "Query a message trace")

    @OptionGroup var namesrv: NamesrvOptions
    @Option(name: [.customShort("i"), .customLong("msgId")], help: "Message Id")
    var msgID: String
    @Option(name: [.customShort("t"), .customLong("traceTopic")], help: "The name value of message trace topic")
    var traceTopic: String = TopicValidator.rmqSysTraceTopic
    @Option(name: [.customShort("b"), .customLong("beginTimestamp")], help: "Begin timestamp(ms). default:0, eg:1676730526212")
    var beginTimestamp: Int64 = 0
    @Option(name: [.customShort("e"), .customLong("endTimestamp")], help: "End timestamp(ms). default:Long.MAX_VALUE, eg:1676730526212")
    var endTimestamp: Int64 = .max
    @Option(name: [.customLong("num", withSingleDash: true), .customLong("maxNum")],
            help: "The maximum number of messages returned by the query, default:64")
    var maxNum: Int32 = 64

    func run() async throws {
        let id = msgID.trimmingCharacters(in: .whitespaces)
        let topic = traceTopic.trimmingCharacters(in: .whitespaces)
        try await namesrv.withAdmin { admin in
            let found = try await admin.queryMessage(topic: topic, key: id, maxNum: maxNum, begin: beginTimestamp,
                                                     end: endTimestamp)
            var views: [TraceView] = []
            for m in found.sorted(by: { ($0.storeTimestamp, $0.queueOffset) < ($1.storeTimestamp, $1.queueOffset) }) {
                views.append(contentsOf: TraceView.decode(msgID: id, traceMessage: m))
            }
            out.write(Self.render(views))
        }
    }

    /// Upstream's layout: `%-10s %-20s %-20s %-20s %-10s %-10s` rows.
    static func render(_ views: [TraceView]) -> String {
        func row(_ a: String, _ b: String, _ c: String, _ d: String, _ e: String, _ f: String) -> String {
            Tools.left(a, 10) + " " + Tools.left(b, 20) + " " + Tools.left(c, 20) + " " + Tools.left(d, 20) + " "
                + Tools.left(e, 10) + " " + Tools.left(f, 10) + "\n"
        }
        var text = ""
        var consumerGroups: [String] = []
        var consumers: [String: [TraceView]] = [:]
        for v in views {
            if v.msgType == TraceType.pub.rawValue {
                text += row("#Type", "#ProducerGroup", "#ClientHost", "#SendTime", "#CostTimes", "#Status")
                text += row("Pub", v.groupName, v.clientHost, Tools.formatDate(millis: v.timeStamp), "\(v.costTime)ms",
                            v.status)
                text += "\n"
            }
            if v.msgType == TraceType.subAfter.rawValue {
                if consumers[v.groupName] == nil { consumerGroups.append(v.groupName) }
                consumers[v.groupName, default: []].append(v)
            }
        }
        for group in consumerGroups {
            text += row("#Type", "#ConsumerGroup", "#ClientHost", "#ConsumerTime", "#CostTimes", "#Status")
            for v in consumers[group] ?? [] {
                text += row("Sub", v.groupName, v.clientHost, Tools.formatDate(millis: v.timeStamp), "\(v.costTime)ms",
                            v.status)
            }
            text += "\n"
        }
        return text
    }
}
