//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon
import RocketMQRemoting

/// REGISTER_BROKER, UNREGISTER_BROKER and QUERY_DATA_VERSION.
struct BrokerRegistrationProcessor: RequestProcessor {
    let routes: RouteInfoManager
    let decompress: @Sendable ([UInt8]) throws -> [UInt8]

    func processRequest(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand? {
        switch request.requestCode {
        case .registerBroker: return try register(request, context: context)
        case .unregisterBroker:
            let h = try request.decodeHeader(UnRegisterBrokerRequestHeader.self)
            routes.unregisterBroker(clusterName: h.clusterName, brokerAddr: h.brokerAddr, brokerName: h.brokerName,
                                    brokerID: h.brokerID)
            return .response()
        case .queryDataVersion:
            let h = try request.decodeHeader(QueryDataVersionRequestHeader.self)
            let version = try DataVersion(body: request.body)
            let changed = routes.isBrokerTopicConfigChanged(brokerAddr: h.brokerAddr, dataVersion: version)
            return .response(header: QueryDataVersionResponseHeader(changed: changed))
        default:
            // Only reachable if the processor table routes a code here that this switch does not list.
            return .response(.requestCodeNotSupported, remark: " request type \(request.code) not supported")
        }
    }

    func register(_ request: RemotingCommand, context: RequestContext) throws -> RemotingCommand {
        let h = try request.decodeHeader(RegisterBrokerRequestHeader.self)
        let bodyBytes = request.bodyBytes
        if h.bodyCrc32 != 0 {
            let crc = Int32(bitPattern: CRC32.checksum(bodyBytes) & 0x7FFF_FFFF)
            if crc != h.bodyCrc32 && Int32(bitPattern: CRC32.checksum(bodyBytes)) != h.bodyCrc32 {
                return .response(.systemError, remark: "crc32 not match")
            }
        }
        var wrapper: TopicConfigSerializeWrapper? = nil
        var filters: [String] = []
        if !bodyBytes.isEmpty {
            if h.compressed {
                let (w, f) = try RegisterBrokerBodyCodec.decodeCompressed(bodyBytes, decompress: decompress)
                wrapper = w
                filters = f
            } else {
                let body = try RegisterBrokerBody(bytes: bodyBytes)
                wrapper = body.topicConfigSerializeWrapper
                filters = body.filterServerList
            }
        }
        let result = routes.registerBroker(
            clusterName: h.clusterName, brokerAddr: h.brokerAddr, brokerName: h.brokerName, brokerID: h.brokerID,
            haServerAddr: h.haServerAddr, topicConfigWrapper: wrapper, filterServerList: filters,
            channelID: context.channelID)
        return .response(header: RegisterBrokerResponseHeader(haServerAddr: result.haServerAddr, masterAddr: result.masterAddr),
                         body: ByteBuffer(bytes: JSONWriter.bytes(KVTable().toJSON())))
    }
}

/// The compressed RegisterBrokerBody form (PROTOCOL.md §5.4): zlib over length-prefixed parts.
public enum RegisterBrokerBodyCodec {
    public static func decodeCompressed(_ bytes: [UInt8], decompress: ([UInt8]) throws -> [UInt8]) throws
        -> (TopicConfigSerializeWrapper, [String])
    {
        var buffer = ByteBuffer(bytes: try decompress(bytes))
        func part() throws -> String {
            guard let n: Int32 = buffer.readInteger(), n >= 0, let s = buffer.readString(length: Int(n)) else {
                throw RemotingError.invalidBody("truncated compressed register body")
            }
            return s
        }
        let version = try DataVersion(bytes: Array(try part().utf8))
        guard let count: Int32 = buffer.readInteger(), count >= 0 else {
            throw RemotingError.invalidBody("truncated compressed register body")
        }
        var table: [String: TopicConfig] = [:]
        for _ in 0..<count {
            let text = try part()
            guard let config = TopicConfig(encodedText: text) else { throw RemotingError.invalidBody("bad topic config '\(text)'") }
            table[config.topicName] = config
        }
        var filters: [String] = []
        if buffer.readableBytes >= 4 {
            let json = try JSONParser.parse(try part())
            filters = (json.arrayValue ?? []).compactMap(\.stringValue)
        }
        return (TopicConfigSerializeWrapper(topicConfigTable: table, dataVersion: version), filters)
    }

    /// Builds the uncompressed byte layout that `decodeCompressed` reads (before compression).
    public static func encodeUncompressed(_ wrapper: TopicConfigSerializeWrapper, filterServerList: [String]) -> [UInt8] {
        var buffer = ByteBuffer()
        func part(_ s: String) {
            buffer.writeInteger(Int32(s.utf8.count))
            buffer.writeString(s)
        }
        part(wrapper.dataVersion.jsonString)
        buffer.writeInteger(Int32(wrapper.topicConfigTable.count))
        for (_, config) in wrapper.topicConfigTable.sorted(by: { $0.key < $1.key }) { part(config.encodedText) }
        part(JSONWriter.string(.array(filterServerList.map { .string($0) })))
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }
}
