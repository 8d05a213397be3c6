//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

@testable import RocketMQAcl
import Testing

@Suite("RemoteAddressStrategy: upstream's address patterns")
struct RemoteAddressStrategyTests {
    func strategy(_ p: String?) throws -> RemoteAddressStrategy { try RemoteAddressStrategy(pattern: p) }

    @Test func blankMatchesNothingAndStarMatchesAll() throws {
        #expect(try !strategy(nil).matches("127.0.0.1"))
        #expect(try !strategy("").matches("127.0.0.1"))
        for p in ["*", "*.*.*.*", "*:*:*:*:*:*:*:*"] { #expect(try strategy(p).matches("10.1.2.3")) }
    }

    @Test func oneAddress() throws {
        let s = try strategy("192.168.0.1")
        #expect(s.matches("192.168.0.1"))
        #expect(!s.matches("192.168.0.10"))
        let v6 = try strategy("::1")
        #expect(v6.matches("::1"))
        #expect(v6.matches("0:0:0:0:0:0:0:1"))
        #expect(!v6.matches("::2"))
    }

    @Test func bracesAndCommaLists() throws {
        let s = try strategy("192.168.0.{1,2}")
        #expect(s.matches("192.168.0.1") && s.matches("192.168.0.2"))
        #expect(!s.matches("192.168.0.3"))
        let c = try strategy("10.0.0.1,10.0.0.7")
        #expect(c.matches("10.0.0.7") && !c.matches("10.0.0.2"))
    }

    @Test func ranges() throws {
        let r = try strategy("192.168.1.1-100")
        #expect(r.matches("192.168.1.1") && r.matches("192.168.1.100"))
        #expect(!r.matches("192.168.1.101") && !r.matches("192.168.2.50"))
        let star = try strategy("192.168.*.*")
        #expect(star.matches("192.168.200.3") && !star.matches("192.169.0.1"))
        let last = try strategy("10.10.103.*")
        #expect(last.matches("10.10.103.250") && !last.matches("10.10.104.1"))
        let first = try strategy("127.*.*.*")
        #expect(first.matches("127.0.0.1") && !first.matches("128.0.0.1"))
    }

    @Test func malformedPatternsAreRejected() {
        for p in ["192.168.1.300-400", "192.168.1.5-1", "192.168.1", "300.1.1.1", "hello", "1.1.1.{1,x}", "192.168.1.-5"] {
            #expect(throws: AclException.self, "\(p)") { try RemoteAddressStrategy(pattern: p) }
        }
    }
}
