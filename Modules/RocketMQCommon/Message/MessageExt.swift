//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// A stored message as read back from the broker (Java `MessageExt`): every field of the stored layout.
public struct MessageExt: Sendable, Equatable {
    public var topic: String
    public var flag: Int32
    public var properties: [String: String]
    public var body: [UInt8]
    public var storeSize: Int32
    public var bodyCRC: Int32
    public var queueID: Int32
    public var queueOffset: Int64
    public var commitLogOffset: Int64
    public var sysFlag: Int32
    public var bornTimestamp: Int64
    public var bornHost: SocketAddressBytes
    public var storeTimestamp: Int64
    public var storeHost: SocketAddressBytes
    public var reconsumeTimes: Int32
    public var preparedTransactionOffset: Int64
    /// Broker-side id (store host + commit-log offset), upstream's `offsetMsgId`; computed when asked
    /// (most consumers never read it, and building the hex text per pulled message is not free).
    public var offsetMsgID: String { MessageID.offsetMessageID(storeHost: storeHost, commitLogOffset: commitLogOffset) }
    /// Set by the consumer after a pull from a specific broker.
    public var brokerName: String = ""

    public init(topic: String, flag: Int32, properties: [String: String], body: [UInt8], storeSize: Int32,
                bodyCRC: Int32, queueID: Int32, queueOffset: Int64, commitLogOffset: Int64, sysFlag: Int32,
                bornTimestamp: Int64, bornHost: SocketAddressBytes, storeTimestamp: Int64,
                storeHost: SocketAddressBytes, reconsumeTimes: Int32, preparedTransactionOffset: Int64) {
        self.topic = topic
        self.flag = flag
        self.properties = properties
        self.body = body
        self.storeSize = storeSize
        self.bodyCRC = bodyCRC
        self.queueID = queueID
        self.queueOffset = queueOffset
        self.commitLogOffset = commitLogOffset
        self.sysFlag = sysFlag
        self.bornTimestamp = bornTimestamp
        self.bornHost = bornHost
        self.storeTimestamp = storeTimestamp
        self.storeHost = storeHost
        self.reconsumeTimes = reconsumeTimes
        self.preparedTransactionOffset = preparedTransactionOffset
    }

    /// Client-side id: `UNIQ_KEY` when present, else the offset id (Java `MessageClientExt.getMsgId`).
    public var msgID: String { properties[MessageConst.uniqueClientMessageIDKeyIndex] ?? offsetMsgID }
    public var tags: String? { properties[MessageConst.tags] }
    public var keys: String? { properties[MessageConst.keys] }
    public var bodyString: String { String(decoding: body, as: UTF8.self) }
    public func userProperty(_ name: String) -> String? { properties[name] }
    public var delayTimeLevel: Int { properties[MessageConst.delayTimeLevel].flatMap { Int($0) } ?? 0 }
}

extension MessageExt: CustomStringConvertible {
    public var description: String {
        let props = properties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return "MessageExt [brokerName=\(brokerName), queueId=\(queueID), storeSize=\(storeSize), queueOffset=\(queueOffset), sysFlag=\(sysFlag), bornTimestamp=\(bornTimestamp), bornHost=\(bornHost), storeTimestamp=\(storeTimestamp), storeHost=\(storeHost), msgId=\(msgID), commitLogOffset=\(commitLogOffset), bodyCRC=\(bodyCRC), reconsumeTimes=\(reconsumeTimes), preparedTransactionOffset=\(preparedTransactionOffset), toString()=Message{topic='\(topic)', flag=\(flag), properties={\(props)}, body=\(JavaFormat.byteArray(body)), transactionId='null'}]"
    }
}

/// An IPv4 or IPv6 address and port as stored in BORNHOST / STOREHOST (address bytes, then int32 port).
public struct SocketAddressBytes: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 bytes (IPv6).
    public var address: [UInt8]
    public var port: Int32

    public init(address: [UInt8], port: Int32) {
        self.address = address
        self.port = port
    }

    public static let zero = SocketAddressBytes(address: [0, 0, 0, 0], port: 0)

    public var isIPv6: Bool { address.count == 16 }

    /// Parses "a.b.c.d:port"; nil for anything else.
    public init?(ipv4HostPort text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let port = Int32(parts[1]) else { return nil }
        let octets = parts[0].split(separator: ".").compactMap { UInt8($0) }
        guard octets.count == 4 else { return nil }
        self.address = octets
        self.port = port
    }

    /// From a NIO socket address; IPv4-mapped IPv6 collapses to IPv4 (the C++ client cannot read V6).
    public init(_ address: SocketAddress?) {
        guard let address else { self = .zero; return }
        let port = Int32(address.port ?? 0)
        switch address {
        case .v4(let v4):
            let raw = UInt32(bigEndian: v4.address.sin_addr.s_addr)
            self.address = [UInt8(raw >> 24), UInt8(raw >> 16 & 0xFF), UInt8(raw >> 8 & 0xFF), UInt8(raw & 0xFF)]
            self.port = port
        case .v6(let v6):
            var a = v6.address.sin6_addr
            let bytes = withUnsafeBytes(of: &a) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
                self.address = Array(bytes[12..<16])
            } else if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 {
                self.address = [127, 0, 0, 1]
            } else {
                self.address = bytes
            }
            self.port = port
        default:
            self = .zero
        }
    }

    public var hostString: String {
        if address.count == 4 { return address.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: address.count, by: 2).map {
            String(UInt16(address[$0]) << 8 | UInt16(address[$0 + 1]), radix: 16)
        }.joined(separator: ":")
    }

    public var description: String { "/\(hostString):\(port)" }
}
