//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Why an inbound frame was refused. Any of these closes that one connection.
public enum RemotingDecodingError: Error, CustomStringConvertible, Sendable, Equatable {
    case frameTooShort(Int)
    case frameTooLarge(Int)
    case headerLengthBeyondFrame(headerLength: Int, frameLength: Int)
    case unknownSerializeType(UInt8)
    case invalidHeader(String)

    public var description: String {
        switch self {
        case .frameTooShort(let n): return "frame length \(n) is shorter than 4"
        case .frameTooLarge(let n): return "frame length \(n) exceeds the 16 MiB limit"
        case .headerLengthBeyondFrame(let h, let f): return "header length \(h) is beyond the frame length \(f)"
        case .unknownSerializeType(let t): return "unknown serialize type \(t)"
        case .invalidHeader(let s): return "unparseable header: \(s)"
        }
    }
}
