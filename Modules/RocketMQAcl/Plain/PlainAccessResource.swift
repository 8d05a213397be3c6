//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting

/// What one request asks for (Java `PlainAccessResource` as `PlainAccessValidator.parse` fills it): who
/// it claims to be, from where, and which topics and groups (as `%RETRY%group`) it needs with which perm.
public struct PlainAccessResource: Sendable {
    public var accessKey: String?
    public var signature: String?
    public var securityToken: String?
    /// The peer's address without the port.
    public var remoteAddress: String
    public var requestCode: Int32
    /// Resource → needed perm, in the order found; a repeated resource keeps the last perm.
    public private(set) var resourcePerms: [(resource: String, perm: UInt8)] = []

    public init(remoteAddress: String, requestCode: Int32) {
        self.remoteAddress = remoteAddress
        self.requestCode = requestCode
    }

    public mutating func add(_ resource: String?, _ perm: UInt8) {
        guard let resource else { return }
        if let i = resourcePerms.firstIndex(where: { $0.resource == resource }) {
            resourcePerms[i].perm = perm
        } else {
            resourcePerms.append((resource, perm))
        }
    }

    public func perm(for resource: String) -> UInt8? { resourcePerms.first { $0.resource == resource }?.perm }

    static func retryTopic(_ group: String?) -> String? { group.map(MixAll.retryTopic) }

    /// "group:G" for a retry topic, "topic:T" otherwise (Java `printStr`).
    static func printable(_ resource: String, isGroup: Bool) -> String {
        isGroup ? "group:\(resource.dropFirst(MixAll.retryGroupTopicPrefix.count))" : "topic:\(resource)"
    }

    /// Reads the needs of a request (Java `PlainAccessValidator.parse`, the same table of codes; ours also
    /// checks SEND_BATCH_MESSAGE like SEND_MESSAGE_V2, which 4.9 leaves unchecked).
    /// - Throws: `AclException` when a heartbeat body does not decode.
    public static func parse(_ request: RemotingCommand, remoteAddress: String) throws(AclException) -> PlainAccessResource {
        var host = remoteAddress.lastIndex(of: ":").map { String(remoteAddress[..<$0]) } ?? remoteAddress
        // An IPv4 peer on a dual-stack socket ("::ffff:10.0.0.1") matches the IPv4 patterns, as Java shows it.
        if host.hasPrefix("::ffff:"), IPAddressText.isIPv4(String(host.dropFirst(7))) { host = String(host.dropFirst(7)) }
        var r = PlainAccessResource(remoteAddress: host, requestCode: request.code)
        let f = request.extFields
        r.accessKey = f[SessionCredentials.accessKeyField]
        r.signature = f[SessionCredentials.signatureField]
        r.securityToken = f[SessionCredentials.securityTokenField]
        switch RequestCode(request.code) {
        case .sendMessage:
            let topic = f["topic"]
            if let topic, MixAll.isRetryTopic(topic) {
                r.add(retryTopic(f["group"]), Permission.sub)
            } else {
                r.add(topic, Permission.pub)
            }
        case .sendMessageV2, .sendBatchMessage:
            let topic = f["b"]
            if let topic, MixAll.isRetryTopic(topic) {
                r.add(retryTopic(f["a"]), Permission.sub)
            } else {
                r.add(topic, Permission.pub)
            }
        case .consumerSendMsgBack:
            r.add(retryTopic(f["group"]), Permission.sub)
        case .pullMessage:
            r.add(f["topic"], Permission.sub)
            r.add(retryTopic(f["consumerGroup"]), Permission.sub)
        case .queryMessage:
            r.add(f["topic"], Permission.sub)
        case .heartBeat:
            let data: HeartbeatData
            do { data = try HeartbeatData(body: request.body) } catch { throw AclException("\(error)") }
            for consumer in data.consumerDataSet {
                r.add(retryTopic(consumer.groupName), Permission.sub)
                for s in consumer.subscriptionDataSet { r.add(s.topic, Permission.sub) }
            }
        case .unregisterClient, .getConsumerListByGroup:
            r.add(retryTopic(f["consumerGroup"]), Permission.sub)
        case .updateConsumerOffset:
            r.add(retryTopic(f["consumerGroup"]), Permission.sub)
            r.add(f["topic"], Permission.sub)
        default:
            break
        }
        return r
    }
}
