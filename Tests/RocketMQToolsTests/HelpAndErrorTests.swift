//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQTools
import Testing

@Suite("mqadmin: help and argument errors", .timeLimit(.minutes(1)))
struct HelpAndErrorTests {
    @Test func helpListsEveryCommandWithItsDescription() async {
        let result = await runMQAdmin(["help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("The most commonly used mqadmin commands are:"))
        for (name, abstract) in [("updateTopic", "Update or create topic"), ("topicStatus", "Examine topic Status info"),
                                 ("clusterList", "List cluster infos"), ("consumerProgress", "Query consumers's progress, speed"),
                                 ("wipeWritePerm", "Wipe write perm of broker in all name server")] {
            let line = result.lines.first { $0.trimmingPrefixSpaces.hasPrefix(name + " ") }
            #expect(line?.hasSuffix(abstract) == true, "\(name): \(line ?? "missing")")
        }
        let names = ["updateTopic", "deleteTopic", "topicList", "topicRoute", "topicStatus", "topicClusterList",
                     "updateSubGroup", "deleteSubGroup", "consumerProgress", "consumerConnection", "producerConnection",
                     "queryMsgById", "queryMsgByKey", "queryMsgByUniqueKey", "queryMsgByOffset", "sendMessage",
                     "consumeMessage", "clusterList", "brokerStatus", "getBrokerConfig", "updateBrokerConfig",
                     "resetOffsetByTime", "updateKvConfig", "deleteKvConfig", "wipeWritePerm"]
        for name in names {
            #expect(result.lines.contains { $0.trimmingPrefixSpaces.hasPrefix(name + " ") }, "\(name) not listed")
        }
        #expect(await runMQAdmin([]).stdout == result.stdout)
    }

    @Test func helpOfOneCommandShowsItsFlags() async {
        let result = await runMQAdmin(["help", "updateTopic"])
        #expect(result.status == 0)
        for flag in ["-t", "-b", "-c", "-r", "-w", "-p", "-o", "-n"] {
            #expect(result.stdout.contains(flag + ", --"), "\(flag) missing from:\n\(result.stdout)")
        }
        let dashH = await runMQAdmin(["topicStatus", "-h"])
        #expect(dashH.status == 0)
        #expect(dashH.stdout.contains("-t"))
    }

    @Test func missingArgumentIsOneLineAndNonZero() async {
        let result = await runMQAdmin(["topicStatus", "-n", "127.0.0.1:9876"])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr == "mqadmin: Missing expected argument '--topic <topic>'\n", "\(result.stderr)")
    }

    @Test func unknownCommandIsRejected() async {
        for args in [["noSuchCommand"], ["help", "noSuchCommand"]] {
            let result = await runMQAdmin(args)
            #expect(result.status != 0)
            #expect(result.stderr == "mqadmin: The sub command noSuchCommand not exist.\n")
        }
    }

    @Test func unreachableNameServerIsOneLineAndNonZero() async {
        for args in [["topicList"], ["clusterList"], ["topicStatus", "-t", "T"]] {
            let result = await runMQAdmin(args + ["-n", "127.0.0.1:1"])
            #expect(result.status != 0, "\(args)")
            #expect(result.stderr.hasPrefix("mqadmin: "), "\(args): \(result.stderr)")
            #expect(result.stderr == "mqadmin: connect to 127.0.0.1:1 failed: Connection refused\n", "\(args): \(result.stderr)")
        }
    }

    @Test func updateBrokerConfigWithoutTargetExplainsWhatIsMissing() async {
        let result = await runMQAdmin(["updateBrokerConfig", "-k", "a", "-v", "b", "-n", "127.0.0.1:1"])
        #expect(result.status != 0)
        #expect(result.stderr == "mqadmin: one of -b <brokerAddr> or -c <clusterName> is required\n")
    }
}

extension String {
    var trimmingPrefixSpaces: Substring { self.drop { $0 == " " } }
}
