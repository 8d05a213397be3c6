//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// The header codec named in the top byte of a frame's second word.
public enum SerializeType: UInt8, Sendable {
    case json = 0
    case rocketmq = 1

    public var name: String { self == .json ? "JSON" : "ROCKETMQ" }
}
