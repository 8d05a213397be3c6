//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import NIOPosix
import RocketMQCommon
import RocketMQCompression
import RocketMQNamesrv
import RocketMQRemoting
import RocketMQTestSupport
import Testing

/// A broker as the name server sees it: one connection (its own client) and REGISTER_BROKER requests.
struct FakeBroker {
    let name: String
    let addr: String
    let cluster: String
    let client: RemotingClient

    init(name: String, port: Int, cluster: String = "DefaultCluster") {
        self.name = name
        self.addr = "127.0.0.1:\(port)"
        self.cluster = cluster
        self.client = RemotingClient(group: MultiThreadedEventLoopGroup.singleton, logger: .quiet("broker"))
    }

    static func wrapper(_ topics: [TopicConfig], counter: Int64 = 1) -> TopicConfigSerializeWrapper {
        TopicConfigSerializeWrapper(topicConfigTable: Dictionary(uniqueKeysWithValues: topics.map { ($0.topicName, $0) }),
                                    dataVersion: DataVersion(timestamp: 1_700_000_000_000, counter: counter))
    }

    @discardableResult
    func register(_ namesrv: String, topics: [TopicConfig], compressed: Bool = false, counter: Int64 = 1,
                  bodyCrc32: Int32 = 0) async throws -> RemotingCommand {
        let wrapper = Self.wrapper(topics, counter: counter)
        let body: ByteBuffer
        if compressed {
            let raw = RegisterBrokerBodyCodec.encodeUncompressed(wrapper, filterServerList: [])
            body = ByteBuffer(bytes: try ZlibCompressor().compress(raw, level: 9))
        } else {
            body = RegisterBrokerBody(topicConfigSerializeWrapper: wrapper, filterServerList: []).encodedBody()
        }
        let header = RegisterBrokerRequestHeader(brokerName: name, brokerAddr: addr, clusterName: cluster,
                                                 haServerAddr: "127.0.0.1:10912", brokerID: 0, compressed: compressed,
                                                 bodyCrc32: bodyCrc32)
        return try await client.invoke(namesrv, .request(.registerBroker, header: header, body: body))
    }

    func unregister(_ namesrv: String) async throws -> RemotingCommand {
        try await client.invoke(namesrv, .request(.unregisterBroker, header: UnRegisterBrokerRequestHeader(
            brokerName: name, brokerAddr: addr, clusterName: cluster, brokerID: 0)))
    }
}

/// Starts a name server (temp KV dir, port 0), a client, runs `body`, stops everything.
func withNamesrv(configure: (inout NamesrvConfig) -> Void = { _ in },
                 _ body: (TestNamesrv, RemotingClient, TemporaryDirectory) async throws -> Void) async throws {
    let dir = try TemporaryDirectory(prefix: "namesrv-it")
    defer { dir.remove() }
    let zlib = ZlibCompressor()
    let namesrv = try await TestNamesrv(kvConfigPath: dir.file("kvConfig.json"), configure: configure,
                                        decompress: { try zlib.decompress($0) })
    let client = RemotingClient(group: MultiThreadedEventLoopGroup.singleton, logger: .quiet("client"))
    do {
        try await body(namesrv, client, dir)
    } catch {
        await client.shutdown()
        await namesrv.stop()
        throw error
    }
    await client.shutdown()
    await namesrv.stop()
}

func route(_ client: RemotingClient, _ namesrv: String, _ topic: String) async throws -> RemotingCommand {
    try await client.invoke(namesrv, .request(.getRouteInfoByTopic, header: GetRouteInfoRequestHeader(topic: topic)))
}

func clusterInfo(_ client: RemotingClient, _ namesrv: String) async throws -> ClusterInfo {
    let response = try await client.invoke(namesrv, .request(.getBrokerClusterInfo))
    #expect(response.code == 0)
    return try ClusterInfo(body: response.body)
}

func objectKeys(_ value: JSONValue?) -> Set<String> { Set((value?.objectValue ?? []).map(\.0)) }

@Suite("Name server over TCP", .timeLimit(.minutes(1)))
struct NamesrvIntegrationTests {
    static let shared = TopicConfig(topicName: "TopicShared", readQueueNums: 8, writeQueueNums: 8, perm: 6)
    static let onlyA = TopicConfig(topicName: "TopicOnlyA", readQueueNums: 2, writeQueueNums: 2, perm: 6)

    @Test func routeOfASharedTopicMergesBothBrokers() async throws {
        try await withNamesrv { ns, client, _ in
            let a = FakeBroker(name: "broker-a", port: 10911)
            let b = FakeBroker(name: "broker-b", port: 10921)
            defer { Task { await a.client.shutdown(); await b.client.shutdown() } }
            let ra = try await a.register(ns.address, topics: [Self.shared, Self.onlyA])
            #expect(ra.code == 0)
            #expect(try KVTable(body: ra.body) == KVTable())
            var sharedB = Self.shared
            sharedB.readQueueNums = 4
            sharedB.writeQueueNums = 4
            #expect(try await b.register(ns.address, topics: [sharedB], compressed: true).code == 0)

            let response = try await route(client, ns.address, "TopicShared")
            #expect(response.code == 0)
            let data = try TopicRouteData(body: response.body)
            #expect(data.queueDatas.sorted { $0.brokerName < $1.brokerName } == [
                QueueData(brokerName: "broker-a", readQueueNums: 8, writeQueueNums: 8, perm: 6, topicSysFlag: 0),
                QueueData(brokerName: "broker-b", readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0),
            ])
            #expect(data.brokerDatas.sorted { $0.brokerName < $1.brokerName } == [
                BrokerData(cluster: "DefaultCluster", brokerName: "broker-a", brokerAddrs: [0: "127.0.0.1:10911"]),
                BrokerData(cluster: "DefaultCluster", brokerName: "broker-b", brokerAddrs: [0: "127.0.0.1:10921"]),
            ])
            #expect(data.orderTopicConf == nil)

            // Keys exactly as PROTOCOL.md §5.2, numeric brokerAddrs keys quoted.
            let bytes = response.bodyBytes
            let text = String(decoding: bytes, as: UTF8.self)
            let json = try JSONParser.parse(bytes)
            #expect(objectKeys(json) == ["queueDatas", "brokerDatas", "filterServerTable"])
            for q in json["queueDatas"]?.arrayValue ?? [] {
                #expect(objectKeys(q) == ["brokerName", "readQueueNums", "writeQueueNums", "perm", "topicSysFlag"])
            }
            #expect(json["brokerDatas"]?.arrayValue?.count == 2)
            for b in json["brokerDatas"]?.arrayValue ?? [] {
                #expect(objectKeys(b) == ["cluster", "brokerName", "brokerAddrs"])
            }
            #expect(text.contains(#""brokerAddrs":{"0":"127.0.0.1:10911"}"#))
            #expect(text.contains(#""brokerAddrs":{"0":"127.0.0.1:10921"}"#))
            #expect(text.contains(#""filterServerTable":{}"#))

            let onlyA = try TopicRouteData(body: try await route(client, ns.address, "TopicOnlyA").body)
            #expect(onlyA.queueDatas.map(\.brokerName) == ["broker-a"])
            #expect(onlyA.brokerDatas.map(\.brokerName) == ["broker-a"])
        }
    }

    @Test func unknownTopicIsTopicNotExist() async throws {
        try await withNamesrv { ns, client, _ in
            let response = try await route(client, ns.address, "NoSuchTopic")
            #expect(response.code == 17)
            #expect(response.remark?.contains("NoSuchTopic") == true)
        }
    }

    @Test func bodyCrcMismatchIsRefused() async throws {
        try await withNamesrv { ns, client, _ in
            let a = FakeBroker(name: "broker-a", port: 10911)
            defer { Task { await a.client.shutdown() } }
            let response = try await a.register(ns.address, topics: [Self.shared], bodyCrc32: 12345)
            #expect(response.code == 1)
            #expect(response.remark == "crc32 not match")
            #expect(try await route(client, ns.address, "TopicShared").code == 17)
        }
    }

    @Test func clusterInfoTopicListsAndTopicAdmin() async throws {
        try await withNamesrv { ns, client, _ in
            let a = FakeBroker(name: "broker-a", port: 10911)
            let b = FakeBroker(name: "broker-b", port: 10921)
            let c = FakeBroker(name: "broker-c", port: 10931, cluster: "OtherCluster")
            defer { Task { await a.client.shutdown(); await b.client.shutdown(); await c.client.shutdown() } }
            try await a.register(ns.address, topics: [Self.shared, Self.onlyA])
            try await b.register(ns.address, topics: [Self.shared])
            try await c.register(ns.address, topics: [TopicConfig(topicName: "TopicC", readQueueNums: 1, writeQueueNums: 1)])

            let info = try await clusterInfo(client, ns.address)
            #expect(info.clusterAddrTable["DefaultCluster"]?.sorted() == ["broker-a", "broker-b"])
            #expect(info.clusterAddrTable["OtherCluster"] == ["broker-c"])
            #expect(Set(info.brokerAddrTable.keys) == ["broker-a", "broker-b", "broker-c"])
            #expect(info.brokerAddrTable["broker-b"]?.brokerAddrs == [0: "127.0.0.1:10921"])

            let all = try await client.invoke(ns.address, .request(.getAllTopicListFromNameserver))
            #expect(all.code == 0)
            #expect(try TopicList(body: all.body).topicList.sorted() == ["TopicC", "TopicOnlyA", "TopicShared"])

            let byCluster = try await client.invoke(ns.address, .request(.getTopicsByCluster,
                                                                         header: GetTopicsByClusterRequestHeader(cluster: "DefaultCluster")))
            #expect(byCluster.code == 0)
            #expect(try TopicList(body: byCluster.body).topicList.sorted() == ["TopicOnlyA", "TopicShared"])
            let other = try await client.invoke(ns.address, .request(.getTopicsByCluster,
                                                                     header: GetTopicsByClusterRequestHeader(cluster: "OtherCluster")))
            #expect(try TopicList(body: other.body).topicList == ["TopicC"])

            // WIPE_WRITE_PERM: broker-a's queues lose the write bit; broker-b keeps it.
            let wiped = try await client.invoke(ns.address, .request(.wipeWritePermOfBroker,
                                                                     header: WipeWritePermOfBrokerRequestHeader(brokerName: "broker-a")))
            #expect(wiped.code == 0)
            #expect(try WipeWritePermOfBrokerResponseHeader(extFields: wiped.extFields).wipeTopicCount == 2)
            let afterWipe = try TopicRouteData(body: try await route(client, ns.address, "TopicShared").body)
            #expect(afterWipe.queueDatas.first { $0.brokerName == "broker-a" }?.perm == 4)
            #expect(afterWipe.queueDatas.first { $0.brokerName == "broker-b" }?.perm == 6)
            let added = try await client.invoke(ns.address, .request(.addWritePermOfBroker,
                                                                     header: WipeWritePermOfBrokerRequestHeader(brokerName: "broker-a")))
            #expect(try AddWritePermOfBrokerResponseHeader(extFields: added.extFields).addTopicCount == 2)
            let afterAdd = try TopicRouteData(body: try await route(client, ns.address, "TopicShared").body)
            #expect(afterAdd.queueDatas.allSatisfy { $0.perm == 6 })

            // DELETE_TOPIC_IN_NAMESRV.
            let deleted = try await client.invoke(ns.address, .request(.deleteTopicInNamesrv,
                                                                       header: DeleteTopicRequestHeader(topic: "TopicOnlyA")))
            #expect(deleted.code == 0)
            #expect(try await route(client, ns.address, "TopicOnlyA").code == 17)
            let remaining = try await client.invoke(ns.address, .request(.getAllTopicListFromNameserver))
            #expect(try TopicList(body: remaining.body).topicList.sorted() == ["TopicC", "TopicShared"])

            // UNREGISTER_BROKER.
            #expect(try await b.unregister(ns.address).code == 0)
            let afterUnregister = try TopicRouteData(body: try await route(client, ns.address, "TopicShared").body)
            #expect(afterUnregister.brokerDatas.map(\.brokerName) == ["broker-a"])
            #expect(afterUnregister.queueDatas.map(\.brokerName) == ["broker-a"])
            #expect(try await clusterInfo(client, ns.address).clusterAddrTable["DefaultCluster"] == ["broker-a"])
        }
    }

    @Test func brokerThatStopsRegisteringExpires() async throws {
        try await withNamesrv(configure: {
            $0.scanNotActiveBrokerInterval = 100
            $0.brokerChannelExpiredTime = 1000
        }) { ns, client, _ in
            let a = FakeBroker(name: "broker-a", port: 10911)
            let b = FakeBroker(name: "broker-b", port: 10921)
            defer { Task { await a.client.shutdown(); await b.client.shutdown() } }
            // broker-b keeps re-registering; broker-a registers until both are seen, then goes quiet
            // (its connection stays open, so only the expiry can remove it).
            let keepAlive = Task {
                while !Task.isCancelled {
                    _ = try? await b.register(ns.address, topics: [Self.shared])
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
            defer { keepAlive.cancel() }
            try await waitUntil(timeout: .seconds(10), "both brokers to be registered") {
                try await a.register(ns.address, topics: [Self.shared])
                return Set(try await clusterInfo(client, ns.address).brokerAddrTable.keys) == ["broker-a", "broker-b"]
            }
            let clock = ContinuousClock()
            let lastRegistration = clock.now
            #expect(try await a.register(ns.address, topics: [Self.shared]).code == 0)
            try await waitUntil(timeout: .seconds(10), "broker-a to expire") {
                try await clusterInfo(client, ns.address).brokerAddrTable["broker-a"] == nil
            }
            #expect(clock.now - lastRegistration >= .milliseconds(1000), "expired before brokerChannelExpiredTime")
            let data = try TopicRouteData(body: try await route(client, ns.address, "TopicShared").body)
            #expect(data.brokerDatas.map(\.brokerName) == ["broker-b"])
            #expect(data.queueDatas.map(\.brokerName) == ["broker-b"])
        }
    }

    @Test func closingTheBrokerConnectionDropsItAtOnce() async throws {
        try await withNamesrv { ns, client, _ in  // default 120 s expiry: only the close can remove it
            let a = FakeBroker(name: "broker-a", port: 10911)
            let b = FakeBroker(name: "broker-b", port: 10921)
            defer { Task { await b.client.shutdown() } }
            try await a.register(ns.address, topics: [Self.shared])
            try await b.register(ns.address, topics: [Self.shared])
            await a.client.shutdown()
            try await waitUntil(timeout: .seconds(5), "broker-a to be dropped") {
                try await clusterInfo(client, ns.address).brokerAddrTable["broker-a"] == nil
            }
            let data = try TopicRouteData(body: try await route(client, ns.address, "TopicShared").body)
            #expect(data.brokerDatas.map(\.brokerName) == ["broker-b"])
            #expect(ns.controller.routes.liveBrokerCount == 1)
        }
    }

    @Test func kvConfigPutGetDeleteAndSurvivesRestart() async throws {
        let dir = try TemporaryDirectory(prefix: "namesrv-kv")
        defer { dir.remove() }
        let path = dir.file("kvConfig.json")
        let client = RemotingClient(group: MultiThreadedEventLoopGroup.singleton, logger: .quiet("client"))
        defer { Task { await client.shutdown() } }

        let first = try await TestNamesrv(kvConfigPath: path)
        do {
            let put = try await client.invoke(first.address, .request(.putKVConfig, header: PutKVConfigRequestHeader(
                namespace: "ORDER_TOPIC_CONFIG", key: "TopicOrder", value: "broker-a:4;broker-b:4")))
            #expect(put.code == 0)
            #expect(try await client.invoke(first.address, .request(.putKVConfig, header: PutKVConfigRequestHeader(
                namespace: "ORDER_TOPIC_CONFIG", key: "Gone", value: "x"))).code == 0)
            let got = try await client.invoke(first.address, .request(.getKVConfig, header: GetKVConfigRequestHeader(
                namespace: "ORDER_TOPIC_CONFIG", key: "TopicOrder")))
            #expect(got.code == 0)
            #expect(try GetKVConfigResponseHeader(extFields: got.extFields).value == "broker-a:4;broker-b:4")

            let list = try await client.invoke(first.address, .request(.getKVListByNamespace,
                                                                       header: GetKVListByNamespaceRequestHeader(namespace: "ORDER_TOPIC_CONFIG")))
            #expect(try KVTable(body: list.body).table == ["TopicOrder": "broker-a:4;broker-b:4", "Gone": "x"])

            let missing = try await client.invoke(first.address, .request(.getKVConfig, header: GetKVConfigRequestHeader(
                namespace: "ORDER_TOPIC_CONFIG", key: "Nope")))
            #expect(missing.code == 22)
            #expect(missing.remark?.contains("Nope") == true)

            let deleted = try await client.invoke(first.address, .request(.deleteKVConfig, header: GetKVConfigRequestHeader(
                namespace: "ORDER_TOPIC_CONFIG", key: "Gone")))
            #expect(deleted.code == 0)
            let afterDelete = try await client.invoke(first.address, .request(.getKVConfig, header: GetKVConfigRequestHeader(
                namespace: "ORDER_TOPIC_CONFIG", key: "Gone")))
            #expect(afterDelete.code == 22)
        } catch {
            await first.stop()
            throw error
        }
        await first.stop()
        #expect(dir.exists("kvConfig.json"))

        let second = try await TestNamesrv(kvConfigPath: path)
        do {
            let got = try await client.invoke(second.address, .request(.getKVConfig, header: GetKVConfigRequestHeader(
                namespace: "ORDER_TOPIC_CONFIG", key: "TopicOrder")))
            #expect(got.code == 0)
            #expect(got.extFields["value"] == "broker-a:4;broker-b:4")
            let gone = try await client.invoke(second.address, .request(.getKVConfig, header: GetKVConfigRequestHeader(
                namespace: "ORDER_TOPIC_CONFIG", key: "Gone")))
            #expect(gone.code == 22)
        } catch {
            await second.stop()
            throw error
        }
        await second.stop()
    }

    @Test func unknownCodeIsAnsweredWith3() async throws {
        try await withNamesrv { ns, client, _ in
            let response = try await client.invoke(ns.address, RemotingCommand(code: 9999))
            #expect(response.code == 3)
            #expect(response.remark == " request type 9999 not supported")
            #expect(try await client.invoke(ns.address, .request(.getAllTopicListFromNameserver)).code == 0)
        }
    }

    @Test func namesrvConfigGetAndUpdate() async throws {
        try await withNamesrv { ns, client, _ in
            func current() async throws -> [String: String] {
                let r = try await client.invoke(ns.address, .request(.getNamesrvConfig))
                #expect(r.code == 0)
                return Dictionary(PropertiesFile.parse(String(decoding: r.bodyBytes, as: UTF8.self)).map { ($0.key, $0.value) },
                                  uniquingKeysWith: { $1 })
            }
            let before = try await current()
            #expect(before["orderMessageEnable"] == "false")
            #expect(before["kvConfigPath"] == ns.config.kvConfigPath)
            #expect(before["listenPort"] != nil)

            let update = try await client.invoke(ns.address, .request(
                .updateNamesrvConfig, body: ByteBuffer(string: "orderMessageEnable=true\nbrokerChannelExpiredTime=60000\n")))
            #expect(update.code == 0)
            let after = try await current()
            #expect(after["orderMessageEnable"] == "true")
            #expect(after["brokerChannelExpiredTime"] == "60000")

            // orderMessageEnable now puts the KV order config into routes.
            let a = FakeBroker(name: "broker-a", port: 10911)
            defer { Task { await a.client.shutdown() } }
            try await a.register(ns.address, topics: [Self.shared])
            #expect(try await client.invoke(ns.address, .request(.putKVConfig, header: PutKVConfigRequestHeader(
                namespace: "ORDER_TOPIC_CONFIG", key: "TopicShared", value: "broker-a:8"))).code == 0)
            #expect(try TopicRouteData(body: try await route(client, ns.address, "TopicShared").body).orderTopicConf == "broker-a:8")

            let blocked = try await client.invoke(ns.address, .request(.updateNamesrvConfig, body: ByteBuffer(string: "listenPort=1")))
            #expect(blocked.code == 16)
            let bad = try await client.invoke(ns.address, .request(.updateNamesrvConfig,
                                                                   body: ByteBuffer(string: "brokerChannelExpiredTime=abc")))
            #expect(bad.code == 1)
            #expect(bad.remark?.contains("brokerChannelExpiredTime") == true)
            #expect(try await current()["brokerChannelExpiredTime"] == "60000")
        }
    }

    @Test func rocketmqCodecRequestsAreServed() async throws {
        try await withNamesrv { ns, client, _ in
            var request = RemotingCommand.request(.getRouteInfoByTopic, header: GetRouteInfoRequestHeader(topic: "Nope"))
            request.serializeType = .rocketmq
            let response = try await client.invoke(ns.address, request)
            #expect(response.serializeType == .rocketmq)
            #expect(response.code == 17)
        }
    }
}
