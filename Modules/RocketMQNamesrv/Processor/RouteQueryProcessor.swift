//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon
import RocketMQRemoting

/// Route and cluster reads plus topic/permission admin: 105, 106, 205, 206, 216, 224, 304, 327.
struct RouteQueryProcessor: RequestProcessor {
    let routes: RouteInfoManager
    let kv: KVConfigManager
    let orderMessageEnable: @Sendable () -> Bool

    func processRequest(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand? {
        switch request.requestCode {
        case .getRouteInfoByTopic:
            let h = try request.decodeHeader(GetRouteInfoRequestHeader.self)
            guard var route = routes.pickupTopicRouteData(topic: h.topic) else {
                return .response(.topicNotExist,
                                 remark: "No topic route info in name server for the topic: \(h.topic)\nSee http://rocketmq.apache.org/docs/faq/ for further details.")
            }
            if orderMessageEnable() { route.orderTopicConf = kv.get(namespace: "ORDER_TOPIC_CONFIG", key: h.topic) }
            return .response(body: route.encodedBody())
        case .getBrokerClusterInfo:
            return .response(body: routes.clusterInfo().encodedBody())
        case .getAllTopicListFromNameserver:
            return .response(body: TopicList(topicList: routes.allTopics()).encodedBody())
        case .getTopicsByCluster:
            let h = try request.decodeHeader(GetTopicsByClusterRequestHeader.self)
            return .response(body: TopicList(topicList: routes.topics(inCluster: h.cluster)).encodedBody())
        case .getSystemTopicListFromNS:
            return .response(body: TopicList(topicList: routes.systemTopics()).encodedBody())
        case .deleteTopicInNamesrv:
            let h = try request.decodeHeader(DeleteTopicRequestHeader.self)
            routes.deleteTopic(h.topic, clusterName: h.clusterName)
            return .response()
        case .wipeWritePermOfBroker:
            let h = try request.decodeHeader(WipeWritePermOfBrokerRequestHeader.self)
            let n = routes.updateWritePerm(brokerName: h.brokerName, wipe: true)
            return .response(header: WipeWritePermOfBrokerResponseHeader(wipeTopicCount: n))
        case .addWritePermOfBroker:
            let h = try request.decodeHeader(WipeWritePermOfBrokerRequestHeader.self)
            let n = routes.updateWritePerm(brokerName: h.brokerName, wipe: false)
            return .response(header: AddWritePermOfBrokerResponseHeader(addTopicCount: n))
        default:
            // Only reachable if the processor table routes a code here that this switch does not list.
            return .response(.requestCodeNotSupported, remark: " request type \(request.code) not supported")
        }
    }
}

/// KV config: 100, 101, 102, 219.
struct KVConfigProcessor: RequestProcessor {
    let kv: KVConfigManager

    func processRequest(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand? {
        switch request.requestCode {
        case .putKVConfig:
            let h = try request.decodeHeader(PutKVConfigRequestHeader.self)
            kv.put(namespace: h.namespace, key: h.key, value: h.value)
            return .response()
        case .getKVConfig:
            let h = try request.decodeHeader(GetKVConfigRequestHeader.self)
            guard let v = kv.get(namespace: h.namespace, key: h.key) else {
                return .response(.queryNotFound, remark: "No config item, Namespace: \(h.namespace) Key: \(h.key)")
            }
            return .response(header: GetKVConfigResponseHeader(value: v))
        case .deleteKVConfig:
            let h = try request.decodeHeader(DeleteKVConfigRequestHeader.self)
            kv.delete(namespace: h.namespace, key: h.key)
            return .response()
        case .getKVListByNamespace:
            let h = try request.decodeHeader(GetKVListByNamespaceRequestHeader.self)
            guard let table = kv.list(namespace: h.namespace) else {
                return .response(.queryNotFound, remark: "No config item, Namespace: \(h.namespace)")
            }
            return .response(body: KVTable(table: table).encodedBody())
        default:
            // Only reachable if the processor table routes a code here that this switch does not list.
            return .response(.requestCodeNotSupported, remark: " request type \(request.code) not supported")
        }
    }
}

/// GET_NAMESRV_CONFIG / UPDATE_NAMESRV_CONFIG: properties text.
struct NamesrvConfigProcessor: RequestProcessor {
    let controller: ControllerBox

    func processRequest(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand? {
        switch request.requestCode {
        case .getNamesrvConfig:
            let text = PropertiesFile.render(NamesrvConfig.binder.render(controller.config))
            return .response(body: ByteBuffer(string: text))
        case .updateNamesrvConfig:
            return self.updateConfig(request)
        default:
            // Only reachable if the processor table routes a code here that this switch does not list.
            return .response(.requestCodeNotSupported, remark: " request type \(request.code) not supported")
        }
    }

    func updateConfig(_ request: RemotingCommand) -> RemotingCommand {
        let text = String(decoding: request.bodyBytes, as: UTF8.self)
        let pairs = PropertiesFile.parse(text)
        for (key, _) in pairs where ["kvConfigPath", "configStorePath", "listenPort", "bindAddress"].contains(key) {
            return .response(.noPermission, remark: "Can not update config in black list: \(key)")
        }
        do {
            try controller.updateConfig(pairs)
        } catch {
            return .response(.systemError, remark: error.description)
        }
        return .response()
    }
}
