//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon

/// One client connection as the broker knows it (Java `ClientChannelInfo`).
public struct ClientChannelInfo: Sendable {
    public let channel: any Channel
    public var clientID: String
    public var language: LanguageCode
    public var version: Int32
    public var lastUpdateTimestamp: Int64

    public var channelID: ObjectIdentifier { ObjectIdentifier(channel) }
    public var remoteAddress: String {
        guard let a = channel.remoteAddress else { return "" }
        return "\(a.ipAddress ?? "?"):\(a.port ?? 0)"
    }
}
