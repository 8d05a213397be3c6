//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
@testable import RocketMQAcl
import RocketMQCommon
import RocketMQRemoting
import Testing

/// A temporary folder removed when the test ends.
final class TempDir {
    let path: String
    init() {
        var template = Array("/tmp/rmq-acl-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }
    func write(_ name: String, _ text: String) throws {
        try FileIO.writeBytes(Array(text.utf8), to: path + "/" + name, sync: false)
    }
    deinit { _ = system("rm -rf '\(path)'") }
}

/// Upstream's distribution sample, with the whitelist on 10.10.103.*.
let sampleACL = """
    globalWhiteRemoteAddresses:
      - 10.10.103.*

    accounts:
      - accessKey: RocketMQ
        secretKey: 12345678
        whiteRemoteAddress:
        admin: false
        defaultTopicPerm: DENY
        defaultGroupPerm: SUB
        topicPerms:
          - topicA=DENY
          - topicB=PUB|SUB
          - topicC=SUB
        groupPerms:
          # the group should convert to retry topic
          - groupA=DENY
          - groupB=PUB|SUB
          - groupC=SUB

      - accessKey: rocketmq2
        secretKey: 12345678
        whiteRemoteAddress: 192.168.1.*
        # if it is admin, it could access all resources
        admin: true
    """

@Suite("PlainPermissionManager: yml, decisions, reload")
struct PlainPermissionManagerTests {
    let logger = Logger(label: "acl-test")

    func manager(_ yml: String) throws -> (PlainPermissionManager, TempDir) {
        let dir = TempDir()
        try dir.write("plain_acl.yml", yml)
        return (try PlainPermissionManager(path: dir.path + "/plain_acl.yml", logger: logger), dir)
    }

    /// Signs (when credentials are given) and checks a request from `from`; nil = allowed, else the message.
    func decide(_ m: PlainPermissionManager, code: RequestCode, fields: ExtFields, body: String? = nil,
                as credentials: SessionCredentials?, from: String = "1.2.3.4:5555") throws -> String? {
        var request = RemotingCommand(code: code.rawValue, extFields: fields, body: body.map { ByteBuffer(string: $0) })
        if let credentials { try AclClientRPCHook(credentials: credentials).doBeforeRequest(remoteAddress: "b", request: &request) }
        do {
            try PlainAccessValidator(manager: m, logger: logger).doBeforeRequest(remoteAddress: from, request: &request)
            return nil
        } catch let e as AclException {
            #expect(e.responseCode == .systemError)
            #expect(e.remark == "org.apache.rocketmq.acl.common.AclException: " + e.message)
            return e.message
        }
    }

    let user = SessionCredentials(accessKey: "RocketMQ", secretKey: "12345678")
    let admin = SessionCredentials(accessKey: "rocketmq2", secretKey: "12345678")

    @Test func parsesTheSampleFile() throws {
        let config = try PlainAclConfig(yaml: sampleACL)
        #expect(config.globalWhiteRemoteAddresses == ["10.10.103.*"])
        #expect(config.accounts.count == 2)
        #expect(config.accounts[0].accessKey == "RocketMQ" && config.accounts[0].whiteRemoteAddress == nil)
        #expect(config.accounts[0].topicPerms == ["topicA=DENY", "topicB=PUB|SUB", "topicC=SUB"])
        #expect(config.accounts[1].admin && config.accounts[1].whiteRemoteAddress == "192.168.1.*")
        let snapshot = try PlainAclSnapshot(config: config)
        let account = try #require(snapshot.accounts["RocketMQ"])
        #expect(account.defaultTopicPerm == Permission.deny && account.defaultGroupPerm == Permission.sub)
        #expect(account.resourcePerms?["%RETRY%groupB"] == Permission.pub | Permission.sub)
        #expect(account.resourcePerms?["topicA"] == Permission.deny)
        #expect(snapshot.accounts["rocketmq2"]?.resourcePerms == nil)
    }

    @Test func rejectsBadFiles() {
        let bad = [
            "accounts:\n  - accessKey: short\n    secretKey: 12345678\n",         // key too short
            "accounts:\n  - accessKey: RocketMQ\n    secretKey: 12345678\n    topicPerms:\n      - topicA\n",
            "accounts:\n  - accessKey: RocketMQ\n    secretKey: 12345678\n    whiteRemoteAddress: 1.2.3\n",
            "globalWhiteRemoteAddresses: [10.0.0.300]\n",
            "accounts: [ {accessKey: RocketMQ, ",                                    // YAML syntax
            "accounts: 12\n",
        ]
        for text in bad {
            #expect(throws: AclException.self, "\(text)") { try PlainAclSnapshot(config: PlainAclConfig(yaml: text)) }
        }
        #expect(throws: Never.self) { try PlainAclSnapshot(config: PlainAclConfig(yaml: "")) }
    }

    @Test func sendNeedsPubOnTheTopic() throws {
        let (m, _dir) = try manager(sampleACL)
        _ = _dir
        let send: (String) -> ExtFields = { ["a": "groupB", "b": $0, "c": "TBW102", "d": "4", "e": "0"] }
        #expect(try decide(m, code: .sendMessageV2, fields: send("topicB"), body: "hi", as: user) == nil)
        #expect(try decide(m, code: .sendMessageV2, fields: send("topicC"), body: "hi", as: user)
                == "No default permission for topic:topicC")
        #expect(try decide(m, code: .sendMessageV2, fields: send("topicA"), body: "hi", as: user)
                == "No default permission for topic:topicA")
        #expect(try decide(m, code: .sendMessageV2, fields: send("other"), body: "hi", as: user)
                == "No default permission for topic:other")
        #expect(try decide(m, code: .sendBatchMessage, fields: send("topicC"), body: "hi", as: user)
                == "No default permission for topic:topicC")
        // The trace topic may always be written.
        #expect(try decide(m, code: .sendMessageV2, fields: send(TopicValidator.rmqSysTraceTopic), body: "t", as: user) == nil)
    }

    @Test func pullNeedsSubOnTopicAndRetryGroup() throws {
        let (m, _dir) = try manager(sampleACL)
        _ = _dir
        let pull: (String, String) -> ExtFields = { ["consumerGroup": $1, "topic": $0, "queueId": "0", "queueOffset": "0"] }
        #expect(try decide(m, code: .pullMessage, fields: pull("topicC", "groupC"), as: user) == nil)
        #expect(try decide(m, code: .pullMessage, fields: pull("topicC", "groupA"), as: user)
                == "No default permission for group:groupA")
        #expect(try decide(m, code: .pullMessage, fields: pull("topicA", "groupC"), as: user)
                == "No default permission for topic:topicA")
        // Unlisted groups get defaultGroupPerm (SUB).
        #expect(try decide(m, code: .pullMessage, fields: pull("topicB", "anyGroup"), as: user) == nil)
        #expect(try decide(m, code: .updateConsumerOffset, fields: pull("topicA", "groupC"), as: user)
                == "No default permission for topic:topicA")
    }

    @Test func heartbeatChecksEveryConsumerGroupAndSubscription() throws {
        let (m, _dir) = try manager(sampleACL)
        _ = _dir
        func heartbeat(_ group: String, _ topic: String) -> String {
            let data = HeartbeatData(clientID: "c1", producerDataSet: [], consumerDataSet: [
                ConsumerData(groupName: group, consumeType: .consumePassively, messageModel: .clustering,
                             consumeFromWhere: .consumeFromLastOffset,
                             subscriptionDataSet: [SubscriptionData(topic: topic, subString: "*")], unitMode: false)])
            return data.jsonString
        }
        #expect(try decide(m, code: .heartBeat, fields: [:], body: heartbeat("groupC", "topicC"), as: user) == nil)
        #expect(try decide(m, code: .heartBeat, fields: [:], body: heartbeat("groupC", "topicA"), as: user)
                == "No default permission for topic:topicA")
    }

    @Test func identityChecksInUpstreamOrder() throws {
        let (m, _dir) = try manager(sampleACL)
        _ = _dir
        let pull: ExtFields = ["consumerGroup": "groupC", "topic": "topicC", "queueId": "0", "queueOffset": "0"]
        #expect(try decide(m, code: .pullMessage, fields: pull, as: nil) == "No accessKey is configured")
        #expect(try decide(m, code: .pullMessage, fields: pull, as: SessionCredentials(accessKey: "nobody1", secretKey: "12345678"))
                == "No acl config for nobody1")
        #expect(try decide(m, code: .pullMessage, fields: pull, as: SessionCredentials(accessKey: "RocketMQ", secretKey: "wrong-secret"))
                == "Check signature failed for accessKey=RocketMQ")
        // A tampered field breaks the signature.
        var request = RemotingCommand(code: RequestCode.pullMessage.rawValue, extFields: pull)
        try AclClientRPCHook(credentials: user).doBeforeRequest(remoteAddress: "b", request: &request)
        request.extFields["topic"] = "topicB"
        #expect(throws: AclException("Check signature failed for accessKey=RocketMQ")) {
            try PlainAccessValidator(manager: m, logger: logger).doBeforeRequest(remoteAddress: "1.2.3.4:1", request: &request)
        }
        // Global white addresses need nothing; the account's white address needs only the key.
        #expect(try decide(m, code: .pullMessage, fields: pull, as: nil, from: "10.10.103.7:4000") == nil)
        #expect(try decide(m, code: .pullMessage, fields: pull, as: nil, from: "::ffff:10.10.103.7:4000") == nil)
        #expect(try decide(m, code: .pullMessage, fields: pull, as: nil, from: "10.10.104.7:4000") == "No accessKey is configured")
        #expect(try decide(m, code: .updateAndCreateTopic, fields: ["topic": "x"], as: nil, from: "10.10.103.7:4000") == nil)
        #expect(try decide(m, code: .pullMessage, fields: pull, as: SessionCredentials(accessKey: "rocketmq2", secretKey: "bad-secret"),
                           from: "192.168.1.20:4000") == nil)
        #expect(try decide(m, code: .pullMessage, fields: pull, as: SessionCredentials(accessKey: "rocketmq2", secretKey: "bad-secret"))
                == "Check signature failed for accessKey=rocketmq2")
    }

    @Test func adminCodesNeedAnAdminAccount() throws {
        let (m, _dir) = try manager(sampleACL)
        _ = _dir
        let create: ExtFields = ["topic": "newTopic", "defaultTopic": "TBW102", "readQueueNums": "8", "writeQueueNums": "8", "perm": "6"]
        #expect(try decide(m, code: .updateAndCreateTopic, fields: create, as: user)
                == "Need admin permission for request code=17, but accessKey=RocketMQ is not")
        #expect(try decide(m, code: .updateAndCreateTopic, fields: create, as: admin) == nil)
        #expect(try decide(m, code: .deleteSubscriptionGroup, fields: ["groupName": "g"], as: user)
                == "Need admin permission for request code=207, but accessKey=RocketMQ is not")
        // An admin without listed perms reaches every topic.
        #expect(try decide(m, code: .sendMessageV2, fields: ["a": "g", "b": "topicA"], body: "x", as: admin) == nil)
        // Codes without resources only need a valid signature.
        #expect(try decide(m, code: .getRouteInfoByTopic, fields: ["topic": "topicA"], as: user) == nil)
    }

    @Test func reloadTakesNewFileAndKeepsLastGoodOnBadFile() throws {
        let (m, dir) = try manager(sampleACL)
        let pull: ExtFields = ["consumerGroup": "groupC", "topic": "topicC", "queueId": "0", "queueOffset": "0"]
        #expect(m.reloadIfChanged() == false)  // unchanged
        let third = SessionCredentials(accessKey: "thirdUser", secretKey: "abcdefgh")
        #expect(try decide(m, code: .pullMessage, fields: pull, as: third) == "No acl config for thirdUser")

        try dir.write("plain_acl.yml", sampleACL + """

              - accessKey: thirdUser
                secretKey: abcdefgh
                defaultTopicPerm: SUB
                defaultGroupPerm: SUB
            """)
        #expect(m.reloadIfChanged() == true)
        #expect(try decide(m, code: .pullMessage, fields: pull, as: third) == nil)

        // A broken file is refused; the last good config stays in force.
        try dir.write("plain_acl.yml", "accounts:\n  - accessKey: thirdUser\n    secretKey: 123\n")
        #expect(m.reloadIfChanged() == false)
        #expect(try decide(m, code: .pullMessage, fields: pull, as: third) == nil)
        try dir.write("plain_acl.yml", "accounts: [ {")
        #expect(m.reloadIfChanged() == false)
        #expect(try decide(m, code: .pullMessage, fields: pull, as: third) == nil)
        // An empty file (one being rewritten) is skipped too, as upstream.
        try dir.write("plain_acl.yml", "")
        #expect(m.reloadIfChanged() == false)
        #expect(try decide(m, code: .pullMessage, fields: pull, as: third) == nil)

        // Fixing it takes effect: thirdUser is gone again.
        try dir.write("plain_acl.yml", sampleACL)
        #expect(m.reloadIfChanged() == true)
        #expect(try decide(m, code: .pullMessage, fields: pull, as: third) == "No acl config for thirdUser")
    }

    @Test func missingFileDeniesAllButStartsAndPathRules() throws {
        let dir = TempDir()
        let m = try PlainPermissionManager(path: dir.path + "/none.yml", logger: logger)
        #expect(try decide(m, code: .pullMessage, fields: ["topic": "t", "consumerGroup": "g"], as: user) == "No acl config for RocketMQ")
        #expect(PlainPermissionManager.aclFilePath(rocketmqHome: "/opt/rmq", override: nil) == "/opt/rmq/conf/plain_acl.yml")
        #expect(PlainPermissionManager.aclFilePath(rocketmqHome: "/opt/rmq/", override: "conf/x.yml") == "/opt/rmq/conf/x.yml")
        #expect(PlainPermissionManager.aclFilePath(rocketmqHome: "/opt/rmq", override: "/etc/acl.yml") == "/etc/acl.yml")
    }

    @Test func toolsYmlGivesCredentials() throws {
        let dir = TempDir()
        try dir.write("tools.yml", "accessKey: rocketmq2\nsecretKey: 12345678\n")
        #expect(AclToolsConfig.credentials(path: dir.path + "/tools.yml")
                == SessionCredentials(accessKey: "rocketmq2", secretKey: "12345678"))
        try dir.write("blank.yml", "accessKey: rocketmq2\nsecretKey:\n")
        #expect(AclToolsConfig.credentials(path: dir.path + "/blank.yml") == nil)
        #expect(AclToolsConfig.credentials(path: dir.path + "/missing.yml") == nil)
    }
}
