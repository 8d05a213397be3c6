//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQBroker
import RocketMQCommon
import RocketMQCompression
import RocketMQCompressionPlugin
import RocketMQRemoting
import Testing

/// The compression plugin: compression at rest, and bodies every client can decode.
@Suite("Broker compression plugin")
struct BrokerCompressionPluginTests {
    static let body = String(repeating: "compress me, compress me again; ", count: 64)

    static func atRest(_ codec: String) -> @Sendable (inout BrokerConfig) -> Void {
        { c in
            c.compressionAtRest = codec
            c.compressionAtRestThreshold = 256
        }
    }

    /// A pull as a client of the given language and version.
    func pull(_ cluster: BrokerTestCluster, topic: String, language: LanguageCode, version: Int32 = MQVersion.currentVersion,
              offset: Int64 = 0) async throws -> MessageExt
    {
        var request = RemotingCommand.request(.pullMessage, header: PullMessageRequestHeader(
            consumerGroup: "CG_\(language)", topic: topic, queueID: 0, queueOffset: offset, maxMsgNums: 1,
            sysFlag: PullSysFlag.subscription, commitOffset: 0, suspendTimeoutMillis: 0, subscription: "*", subVersion: 0,
            expressionType: nil))
        request.language = language
        request.version = version
        let r = try await cluster.invoke(request)
        guard r.code == 0 else { throw TestFailure("pull failed: \(r)") }
        return try #require(try r.decodedMessages().first)
    }

    @Test("an lz4 body at rest reaches C++ and old Java clients decompressed, new clients as lz4",
          .timeLimit(.minutes(1)))
    func lz4AtRest() async throws {
        try await BrokerTestCluster.with(Self.atRest("lz4"), plugins: { [CompressionPlugin()] }) { cluster in
            let topic = uniqueName("Lz4")
            try await cluster.createTopic(topic, queues: 1)
            try await cluster.sendOK(topic: topic, body: Self.body, tags: "TagZ")

            let swift = try await pull(cluster, topic: topic, language: .other)
            #expect(swift.sysFlag & MessageSysFlag.compressed != 0)
            #expect(swift.sysFlag & MessageSysFlag.compressionTypeMask == MessageSysFlag.compressionLZ4)
            #expect(swift.body.count < Self.body.utf8.count)
            let plain = try CompressorRegistry.standard().decompressBody(swift.body, sysFlag: swift.sysFlag)
            #expect(String(decoding: plain, as: UTF8.self) == Self.body)

            for (language, version) in [(LanguageCode.cpp, MQVersion.currentVersion), (.java, MQVersion.currentVersion), (.go, 0)] {
                let m = try await pull(cluster, topic: topic, language: language, version: version)
                #expect(m.sysFlag & MessageSysFlag.compressed == 0, "\(language)")
                #expect(m.bodyString == Self.body, "\(language)")
                #expect(m.tags == "TagZ")
            }
        }
    }

    @Test("a zlib body at rest is sent as stored to every client", .timeLimit(.minutes(1)))
    func zlibAtRest() async throws {
        try await BrokerTestCluster.with(Self.atRest("zlib"), plugins: { [CompressionPlugin()] }) { cluster in
            let topic = uniqueName("Zlib")
            try await cluster.createTopic(topic, queues: 1)
            try await cluster.sendOK(topic: topic, body: Self.body)
            try await cluster.sendOK(topic: topic, body: "short")
            let m = try await pull(cluster, topic: topic, language: .cpp)
            #expect(m.sysFlag & MessageSysFlag.compressed != 0)
            let plain = try ZlibCompressor().decompress(m.body)
            #expect(String(decoding: plain, as: UTF8.self) == Self.body)
            // Under the threshold: stored as sent.
            let all = try await cluster.pullAll(topic: topic)
            #expect(all.count == 2)
            #expect((all.last?.sysFlag ?? -1) & MessageSysFlag.compressed == 0)
            #expect(all.last?.bodyString == "short")
        }
    }

    @Test("VIEW_MESSAGE_BY_ID and QUERY_MESSAGE also give a C++ client an lz4 body decompressed",
          .timeLimit(.minutes(1)))
    func lz4AtRestThroughQueries() async throws {
        try await BrokerTestCluster.with(Self.atRest("lz4"), plugins: { [CompressionPlugin()] }) { cluster in
            let topic = uniqueName("Lz4View")
            try await cluster.createTopic(topic, queues: 1)
            let sent = try await cluster.sendOK(topic: topic, body: Self.body, keys: "ViewKey")
            let offset = try #require(MessageID.decodeOffsetMessageID(sent.msgID)).commitLogOffset

            for language in [LanguageCode.cpp, .other] {
                var view = RemotingCommand.request(.viewMessageByID, header: ViewMessageRequestHeader(offset: offset))
                view.language = language
                let r = try await cluster.invoke(view)
                #expect(r.code == 0, "\(r)")
                let m = try #require(try r.decodedMessages().first)
                if language == .cpp {
                    #expect(m.sysFlag & MessageSysFlag.compressed == 0)
                    #expect(m.bodyString == Self.body)
                } else {
                    #expect(m.sysFlag & MessageSysFlag.compressionTypeMask == MessageSysFlag.compressionLZ4)
                }
            }

            var query = RemotingCommand.request(.queryMessage, header: QueryMessageRequestHeader(
                topic: topic, key: "ViewKey", maxNum: 8, beginTimestamp: 0, endTimestamp: Int64.max))
            query.language = .cpp
            let indexed = try await eventually { try await cluster.invoke(query).code == 0 }
            #expect(indexed)
            let r = try await cluster.invoke(query)
            let m = try #require(try r.decodedMessages().first)
            #expect(m.sysFlag & MessageSysFlag.compressed == 0)
            #expect(m.bodyString == Self.body)
        }
    }
    /// A "zstd" codec (zlib underneath) from a plugin listed after the compression plugin.
    struct StandInZstd: Compressor {
        let type = CompressionType.zstd
        let maxDecompressedSize = 1 << 20
        func compress(_ src: UnsafeRawBufferPointer, level: Int) throws(CompressionError) -> [UInt8] {
            try ZlibCompressor().compress(src, level: level)
        }
        func decompress(_ src: UnsafeRawBufferPointer) throws(CompressionError) -> [UInt8] {
            try ZlibCompressor().decompress(src)
        }
    }

    struct ZstdPlugin: BrokerPlugin {
        let name = "zstd"
        func load(into extensions: inout BrokerExtensions, context: BrokerPluginContext) throws {
            extensions.compressors.register(StandInZstd())
        }
    }

    @Test("a codec a later plugin registers is the one the at-rest and client-codec hooks use",
          .timeLimit(.minutes(1)), arguments: [true, false])
    func pluggedCodec(registered: Bool) async throws {
        try await BrokerTestCluster.with(Self.atRest("zstd"), plugins: {
            registered ? [CompressionPlugin(), ZstdPlugin()] : [CompressionPlugin()]
        }) { cluster in
            let topic = uniqueName("Zstd")
            try await cluster.createTopic(topic, queues: 1)
            try await cluster.sendOK(topic: topic, body: Self.body)
            let stored = try await pull(cluster, topic: topic, language: .other)
            let cpp = try await pull(cluster, topic: topic, language: .cpp)
            #expect(cpp.sysFlag & MessageSysFlag.compressed == 0)
            #expect(cpp.bodyString == Self.body)
            if registered {
                #expect(stored.sysFlag & MessageSysFlag.compressionTypeMask == MessageSysFlag.compressionZSTD)
                #expect(stored.body.count < Self.body.utf8.count)
                #expect(String(decoding: try StandInZstd().decompress(stored.body), as: UTF8.self) == Self.body)
                #expect(cluster.broker.compressor(forType: CompressionType.zstd.rawValue) != nil)
            } else {
                // Without a zstd codec the body is stored as sent.
                #expect(stored.sysFlag & MessageSysFlag.compressed == 0)
                #expect(stored.bodyString == Self.body)
                #expect(cluster.broker.compressor(forType: CompressionType.zstd.rawValue) == nil)
            }
        }
    }
    @Test("a batch's members are compressed at rest one by one, and its offset ids name where they were stored",
          .timeLimit(.minutes(1)))
    func batchMembersCompressedAtRest() async throws {
        try await BrokerTestCluster.with(Self.atRest("lz4"), plugins: { [CompressionPlugin()] }) { cluster in
            let topic = uniqueName("Lz4Batch")
            try await cluster.createTopic(topic, queues: 1)
            let records = [Self.body, "small", Self.body + "!"].map {
                (body: $0, properties: BrokerTestCluster.properties(tags: "TB", keys: nil, user: [:], wait: false))
            }
            let header = BrokerTestCluster.sendHeader(topic: topic, properties: "", batch: true)
            let r = try await cluster.invoke(.request(.sendBatchMessage, header: SendMessageRequestHeaderV2(header),
                                                      body: BrokerTestCluster.batchBody(records)))
            #expect(r.code == 0, "\(r)")
            let ids = try r.decodeHeader(SendMessageResponseHeader.self).msgID.split(separator: ",")
            var stored: [MessageExt] = []
            for offset in 0..<3 { stored.append(try await pull(cluster, topic: topic, language: .other, offset: Int64(offset))) }
            #expect(ids.map { MessageID.decodeOffsetMessageID(String($0))?.commitLogOffset } == stored.map(\.commitLogOffset))
            for (m, record) in zip(stored, records) {
                let compressed = record.body.utf8.count >= 256
                #expect((m.sysFlag & MessageSysFlag.compressionTypeMask == MessageSysFlag.compressionLZ4) == compressed)
                let plain = try CompressorRegistry.standard().decompressBody(m.body, sysFlag: m.sysFlag)
                #expect(String(decoding: plain, as: UTF8.self) == record.body)
            }
        }
    }
}
