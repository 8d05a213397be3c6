//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon

/// One RocketMQ remoting command: a request or a response (Java `RemotingCommand`).
///
/// A copy-on-write struct over a final-class storage, so it stays small when it travels through
/// `NIOAny`. The body stays a `ByteBuffer` slice of the inbound frame; it is never copied to an array.
public struct RemotingCommand: Sendable {
    /// Mutated only while uniquely referenced (copy-on-write), so sharing across threads is safe.
    final class Storage: @unchecked Sendable {
        var code: Int32
        var language: LanguageCode
        var version: Int32
        var opaque: Int32
        var flag: Int32
        var remark: String?
        var extFields: ExtFields
        var body: ByteBuffer?
        var serializeType: SerializeType

        init(code: Int32, language: LanguageCode, version: Int32, opaque: Int32, flag: Int32, remark: String?,
             extFields: ExtFields, body: ByteBuffer?, serializeType: SerializeType) {
            self.code = code
            self.language = language
            self.version = version
            self.opaque = opaque
            self.flag = flag
            self.remark = remark
            self.extFields = extFields
            self.body = body
            self.serializeType = serializeType
        }

        func copy() -> Storage {
            Storage(code: code, language: language, version: version, opaque: opaque, flag: flag, remark: remark,
                    extFields: extFields, body: body, serializeType: serializeType)
        }
    }

    var storage: Storage

    public static let responseFlag: Int32 = 1
    public static let onewayFlag: Int32 = 2

    public init(code: Int32, language: LanguageCode = .java, version: Int32 = MQVersion.currentVersion, opaque: Int32 = 0,
                flag: Int32 = 0, remark: String? = nil, extFields: ExtFields = [:], body: ByteBuffer? = nil,
                serializeType: SerializeType = .json) {
        self.storage = Storage(code: code, language: language, version: version, opaque: opaque, flag: flag,
                               remark: remark, extFields: extFields, body: body, serializeType: serializeType)
    }

    private mutating func unique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    public var code: Int32 { get { storage.code } set { unique(); storage.code = newValue } }
    public var language: LanguageCode { get { storage.language } set { unique(); storage.language = newValue } }
    public var version: Int32 { get { storage.version } set { unique(); storage.version = newValue } }
    public var opaque: Int32 { get { storage.opaque } set { unique(); storage.opaque = newValue } }
    public var flag: Int32 { get { storage.flag } set { unique(); storage.flag = newValue } }
    public var remark: String? { get { storage.remark } set { unique(); storage.remark = newValue } }
    public var extFields: ExtFields { get { storage.extFields } set { unique(); storage.extFields = newValue } }
    public var body: ByteBuffer? { get { storage.body } set { unique(); storage.body = newValue } }
    public var serializeType: SerializeType {
        get { storage.serializeType }
        set { unique(); storage.serializeType = newValue }
    }

    public var isResponse: Bool { flag & Self.responseFlag != 0 }
    public var isOneway: Bool { flag & Self.onewayFlag != 0 }
    public var requestCode: RequestCode { RequestCode(code) }
    public var responseCode: ResponseCode { ResponseCode(code) }

    /// Builds a request carrying a custom header.
    public static func request(_ code: RequestCode, header: (any CommandCustomHeader)? = nil, body: ByteBuffer? = nil)
        -> RemotingCommand
    {
        var fields: ExtFields = [:]
        header?.encode(into: &fields)
        return RemotingCommand(code: code.rawValue, extFields: fields, body: body)
    }

    /// Builds a response; the dispatcher fills in opaque and serialization type from the request.
    public static func response(_ code: ResponseCode = .success, remark: String? = nil,
                                header: (any CommandCustomHeader)? = nil, body: ByteBuffer? = nil) -> RemotingCommand {
        var fields: ExtFields = [:]
        header?.encode(into: &fields)
        return RemotingCommand(code: code.rawValue, flag: responseFlag, remark: remark, extFields: fields, body: body)
    }

    public mutating func markResponse() { flag |= Self.responseFlag }
    public mutating func markOneway() { flag |= Self.onewayFlag }

    /// Decodes the custom header from the ext fields.
    public func decodeHeader<H: CommandCustomHeader>(_ type: H.Type) throws(RemotingError) -> H {
        try H(extFields: extFields)
    }

    /// The body as bytes (copied), for small JSON bodies.
    public var bodyBytes: [UInt8] {
        guard var b = body else { return [] }
        return b.readBytes(length: b.readableBytes) ?? []
    }
}

extension RemotingCommand: CustomStringConvertible {
    public var description: String {
        "RemotingCommand [code=\(code), language=\(language), version=\(version), opaque=\(opaque), flag(B)=\(String(flag, radix: 2)), remark=\(remark ?? "null"), extFields=\(extFields), serializeTypeCurrentRPC=\(serializeType.name)]"
    }
}
