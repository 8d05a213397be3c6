//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Testing
@testable import RocketMQRemoting

@Suite("TLS refused-connection log")
struct TLSRefusalLogTests {
    @Test("one line per second at most, carrying the count refused since the last line")
    func rateLimitsAndCounts() {
        let log = TLSRefusalLog()
        let second: UInt64 = 1_000_000_000
        #expect(log.record(now: 5 * second) == 1)
        #expect(log.record(now: 5 * second + second / 2) == nil)
        #expect(log.record(now: 5 * second + 9 * second / 10) == nil)
        #expect(log.record(now: 6 * second) == 3)
        #expect(log.record(now: 6 * second + 1) == nil)
        #expect(log.record(now: 9 * second) == 2)
    }
}
