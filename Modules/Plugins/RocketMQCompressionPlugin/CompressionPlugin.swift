//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import RocketMQBroker
import RocketMQCommon
import RocketMQCompression
import RocketMQStore

/// The compression plugin: registers zlib and lz4, optionally compresses large bodies at rest
/// (`compressionAtRest=zlib|lz4`, `compressionAtRestThreshold`), and makes sure every consumer gets a
/// body it can decode: clients that know only zlib receive other codecs' bodies decompressed.
public struct CompressionPlugin: BrokerPlugin {
    public let name = "compression"

    public init() {}

    public func load(into extensions: inout BrokerExtensions, context: BrokerPluginContext) throws {
        extensions.compressors.register(ZlibCompressor())
        extensions.compressors.register(LZ4Compressor())
        let codecs = context.compressors
        let c = context.brokerConfig
        if !c.compressionAtRest.isEmpty {
            let type = try CompressionType.named(c.compressionAtRest)
            extensions.putMessageHooks.append(
                AtRestCompressionHook(codecs: codecs, type: type, threshold: c.compressionAtRestThreshold))
        }
        extensions.pullMessageHooks.append(ClientCodecHook(codecs: codecs, logger: context.logger))
    }
}

/// Compresses large, uncompressed bodies before they are stored.
struct AtRestCompressionHook: PutMessageHook {
    let codecs: BrokerCompressors
    let type: CompressionType
    let threshold: Int
    var hookName: String { "compressionAtRest" }

    func executeBeforePutMessage(_ message: inout MessageExtBrokerInner) -> PutMessageResult? {
        guard message.sysFlag & MessageSysFlag.compressed == 0, message.body.readableBytes >= threshold,
              let bytes = message.body.getBytes(at: message.body.readerIndex, length: message.body.readableBytes),
              let compressed = try? codecs.registry.compress(bytes, type: type, level: 5), compressed.count < bytes.count
        else { return nil }
        message.body = ByteBuffer(bytes: compressed)
        message.sysFlag = (message.sysFlag & ~MessageSysFlag.compressionTypeMask) | MessageSysFlag.compressed | type.sysFlagBits
        return nil
    }
}

/// Rewrites pulled records whose codec the requesting client cannot decode (the 4.x C++, Go and Java
/// clients know only zlib) into plain bodies, leaving everything else byte-identical.
struct ClientCodecHook: PullMessageHook {
    let codecs: BrokerCompressors
    let logger: Logger
    var hookName: String { "clientCodec" }

    static func canDecode(_ type: CompressionType, language: LanguageCode, version: Int32) -> Bool {
        if type == .zlib { return true }
        // Java 5.x clients decode every codec; our Swift client too (it sends language OTHER).
        return (language == .java && version >= 413) || language == .other
    }

    func pulled(_ context: inout PullHookContext) {
        var needsRewrite = false
        StoredRecordScanner.forEachRecord(context.body) { sysFlag, _ in
            if sysFlag & MessageSysFlag.compressed != 0, let t = try? CompressionType.fromSysFlag(sysFlag),
               !Self.canDecode(t, language: context.clientLanguage, version: context.clientVersion) {
                needsRewrite = true
            }
        }
        guard needsRewrite else { return }
        let registry = codecs.registry
        var out: [UInt8] = []
        out.reserveCapacity(context.body.count * 2)
        StoredRecordScanner.forEachRecord(context.body) { sysFlag, record in
            guard sysFlag & MessageSysFlag.compressed != 0, let t = try? CompressionType.fromSysFlag(sysFlag),
                  !Self.canDecode(t, language: context.clientLanguage, version: context.clientVersion),
                  let rewritten = StoredRecordScanner.replacingBody(of: record, transform: { try registry.decompress($0, type: t) },
                                                                    newSysFlag: sysFlag & ~(MessageSysFlag.compressed | MessageSysFlag.compressionTypeMask))
            else {
                out.append(contentsOf: record)
                return
            }
            out.append(contentsOf: rewritten)
        }
        context.body = out
    }
}
