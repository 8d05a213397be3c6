//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQClient

/// A failure a command reports as one line on stderr (and a non-zero exit), never as a stack trace.
public struct ToolError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }

    /// The one-line reason for any error a command throws.
    static func reason(for error: any Error) -> String {
        let text: String
        switch error {
        case let e as ToolError: text = e.description
        case let e as ClientError: text = clientReason(e)
        default: text = String(describing: error)
        }
        return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
    }

    private static func clientReason(_ error: ClientError) -> String {
        switch error {
        case .broker(let e):
            return "CODE: \(e.code.rawValue) DESC: \(e.remark ?? "")" + (e.address.map { " BROKER: \($0)" } ?? "")
        case .remoting(let detail):
            // "connect to host:port failed: <NIO's long connection error>" -> keep the address and the cause.
            if detail.contains("Connection refused"), let r = detail.range(of: " failed: ") {
                return String(detail[..<r.lowerBound]) + " failed: Connection refused"
            }
            return detail
        default:
            return error.description
        }
    }
}
