//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// Remoting failures, as Java's remoting exceptions (connect, timeout, send, too much request).
public enum RemotingError: Error, CustomStringConvertible, Sendable {
    case connectFailed(address: String, reason: String)
    case timeout(address: String, code: Int32, millis: Int64)
    case sendRequestFailed(address: String, reason: String)
    case tooMuchRequest(String)
    case connectionClosed(address: String)
    case missingHeaderField(String)
    case invalidHeaderField(name: String, value: String)
    case invalidBody(String)
    case shutdown

    public var description: String {
        switch self {
        case .connectFailed(let a, let r): return "connect to \(a) failed: \(r)"
        case .timeout(let a, let c, let ms): return "wait response on the channel <\(a)> timeout, \(ms)(ms) (request code \(c))"
        case .sendRequestFailed(let a, let r): return "send request to <\(a)> failed: \(r)"
        case .tooMuchRequest(let s): return "too much request: \(s)"
        case .connectionClosed(let a): return "connection to <\(a)> closed before the response arrived"
        case .missingHeaderField(let n): return "the custom field <\(n)> is null"
        case .invalidHeaderField(let n, let v): return "the custom field <\(n)> has an invalid value <\(v)>"
        case .invalidBody(let s): return "invalid request body: \(s)"
        case .shutdown: return "remoting is shut down"
        }
    }
}

extension RemotingError: ResponseCodeConvertible {
    public var responseCode: ResponseCode { .systemError }
    public var remark: String? { description }
}
