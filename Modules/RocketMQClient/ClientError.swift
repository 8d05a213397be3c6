//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting

/// A broker or name server answered with a non-success response code (Java `MQBrokerException`).
///
/// Kept as its own type so callers can match on the code (`error.code == .topicNotExist`) without
/// parsing text; the remark is the server's own explanation.
public struct MQBrokerError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: ResponseCode
    public var remark: String?
    /// The address that answered, when known.
    public var address: String?

    public init(code: ResponseCode, remark: String?, address: String? = nil) {
        self.code = code
        self.remark = remark
        self.address = address
    }

    public var description: String {
        "CODE: \(code) DESC: \(remark ?? "") BROKER: \(address ?? "?")"
    }
}

/// Every failure the client reports. Each description says what to do about it.
public enum ClientError: Error, Sendable, CustomStringConvertible {
    /// A server refused the request (response code and remark).
    case broker(MQBrokerError)
    /// No answer in time.
    case timeout(String)
    /// The name servers know no route for this topic.
    case noRouteInfo(String)
    /// No name server address is configured, or none answered.
    case noNameServer(String)
    /// An argument or message failed validation.
    case illegalArgument(String)
    /// The producer or consumer was used before `start()` or after `shutdown()`.
    case clientNotStarted
    /// The request was sent but no reply came in time (Java `RequestTimeoutException`).
    case requestTimeout(String)
    /// A connection-level failure (connect refused, connection closed, send failed).
    case remoting(String)

    public var description: String {
        switch self {
        case .broker(let e):
            return "\(e); check the broker log and the request (topic/group exist, permissions, sizes)"
        case .timeout(let what):
            return "\(what) timed out; check the broker is reachable and not overloaded, or raise the timeout"
        case .noRouteInfo(let topic):
            return "No route info of this topic: \(topic); create the topic (mqadmin updateTopic) or enable "
                + "autoCreateTopicEnable on the broker, and check the name server address"
        case .noNameServer(let detail):
            return "no name server available (\(detail)); set namesrvAddr or the NAMESRV_ADDR environment variable"
        case .illegalArgument(let text):
            return "\(text); fix the argument and retry"
        case .clientNotStarted:
            return "the client is not running; call start() first (and do not use it after shutdown())"
        case .requestTimeout(let text):
            return "\(text); check that a consumer of the topic replies (MessageUtil.createReplyMessage), or raise the timeout"
        case .remoting(let text):
            return "\(text); check the address and that the server is running"
        }
    }

    /// The response code when a server refused the request.
    public var responseCode: ResponseCode? {
        if case .broker(let e) = self { return e.code }
        return nil
    }

    /// Maps any error from the layers below into a `ClientError`.
    static func wrap(_ error: any Error) -> ClientError {
        if let e = error as? ClientError { return e }
        if let e = error as? MQBrokerError { return .broker(e) }
        if let e = error as? RemotingError {
            if case .timeout = e { return .timeout(e.description) }
            return .remoting(e.description)
        }
        return .remoting("\(error)")
    }
}
