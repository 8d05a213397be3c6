//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// Request code → processor and lane. Filled once at start-up, then shared as a `let`, so dispatch
/// takes no lock.
public struct ProcessorTable: Sendable {
    public struct Entry: Sendable {
        public let processor: any RequestProcessor
        public let lane: ExecutionLane
    }

    public private(set) var entries: [Int32: Entry] = [:]
    public private(set) var defaultEntry: Entry?

    public init() {}

    public enum RegistrationError: Error, CustomStringConvertible {
        case duplicate(RequestCode)
        public var description: String {
            switch self { case .duplicate(let c): return "request code \(c) is registered twice" }
        }
    }

    public mutating func register(_ processor: any RequestProcessor, for codes: RequestCode..., lane: ExecutionLane) throws {
        try register(processor, codes: codes, lane: lane)
    }

    public mutating func register(_ processor: any RequestProcessor, codes: [RequestCode], lane: ExecutionLane) throws {
        for code in codes {
            if entries[code.rawValue] != nil { throw RegistrationError.duplicate(code) }
            entries[code.rawValue] = Entry(processor: processor, lane: lane)
        }
    }

    public mutating func registerDefault(_ processor: any RequestProcessor, lane: ExecutionLane) {
        defaultEntry = Entry(processor: processor, lane: lane)
    }

    public func entry(for code: Int32) -> Entry? { entries[code] ?? defaultEntry }

    public var registeredCodes: [Int32] { entries.keys.sorted() }
}
