//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Generates `UNIQ_KEY` ids in Java's `MessageClientIDSetter` layout (§7.2):
/// ip(4) + pid(2) + random(4) + ms-since-month-start(4) + counter(2) → 32 uppercase hex chars.
public final class MessageClientIDSetter: Sendable {
    public static let shared = MessageClientIDSetter()

    private let prefix: String
    private struct State { var counter: UInt16; var monthStartMillis: Int64; var nextMonthMillis: Int64 }
    private let state: Mutex<State>

    public init(ipv4: [UInt8]? = nil) {
        var fixed = ipv4 ?? MessageClientIDSetter.localIPv4()
        if fixed.count != 4 { fixed = [127, 0, 0, 1] }
        let pid = UInt16(truncatingIfNeeded: getpid())
        fixed.append(UInt8(pid >> 8))
        fixed.append(UInt8(pid & 0xFF))
        let random = UInt32.random(in: .min ... .max)
        fixed.append(contentsOf: [UInt8(random >> 24), UInt8(random >> 16 & 0xFF), UInt8(random >> 8 & 0xFF), UInt8(random & 0xFF)])
        self.prefix = MessageID.hex(fixed)
        let (start, next) = MessageClientIDSetter.monthBounds(now: Clock.millis())
        self.state = Mutex(State(counter: UInt16.random(in: 0 ... .max), monthStartMillis: start, nextMonthMillis: next))
    }

    public func createUniqueID() -> String {
        let now = Clock.millis()
        let (diff, counter) = state.withLock { s -> (UInt32, UInt16) in
            if now >= s.nextMonthMillis {
                let (start, next) = MessageClientIDSetter.monthBounds(now: now)
                s.monthStartMillis = start
                s.nextMonthMillis = next
            }
            s.counter &+= 1
            return (UInt32(truncatingIfNeeded: now - s.monthStartMillis), s.counter)
        }
        let suffix: [UInt8] = [UInt8(diff >> 24), UInt8(diff >> 16 & 0xFF), UInt8(diff >> 8 & 0xFF), UInt8(diff & 0xFF),
                               UInt8(counter >> 8), UInt8(counter & 0xFF)]
        return prefix + MessageID.hex(suffix)
    }

    static func monthBounds(now: Int64) -> (Int64, Int64) {
        var t = time_t(now / 1000)
        var tmValue = tm()
        localtime_r(&t, &tmValue)
        tmValue.tm_mday = 1
        tmValue.tm_hour = 0
        tmValue.tm_min = 0
        tmValue.tm_sec = 0
        let start = Int64(mktime(&tmValue)) * 1000
        tmValue.tm_mon += 1
        let next = Int64(mktime(&tmValue)) * 1000
        return (start, next)
    }

    /// First non-loopback IPv4 address of this host, else 127.0.0.1.
    public static func localIPv4() -> [UInt8] {
        var result: [UInt8] = [127, 0, 0, 1]
        var ifaddrPointer: UnsafeMutablePointer<ifaddrs>? = nil
        guard getifaddrs(&ifaddrPointer) == 0, let first = ifaddrPointer else { return result }
        defer { freeifaddrs(ifaddrPointer) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            if let addr = entry.pointee.ifa_addr, addr.pointee.sa_family == sa_family_t(AF_INET) {
                let v4 = addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
                let raw = UInt32(bigEndian: v4.sin_addr.s_addr)
                let bytes = [UInt8(raw >> 24), UInt8(raw >> 16 & 0xFF), UInt8(raw >> 8 & 0xFF), UInt8(raw & 0xFF)]
                if bytes[0] != 127 { result = bytes; break }
            }
            cursor = entry.pointee.ifa_next
        }
        return result
    }

    public static func localIPv4String() -> String { localIPv4().map(String.init).joined(separator: ".") }
}
