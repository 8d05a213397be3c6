//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@testable import RocketMQFilter

/// Random and mutated selectors must never crash the broker, and each must compile and evaluate quickly.
@Suite("SQL92 fuzzing")
struct SQL92FuzzTests {
    static let seeds = [
        "age >= 20 AND sex = '女'", "a > 5 AND b = 'abc' AND c BETWEEN 1 AND 100",
        "(a IS NULL OR b IN ('x', 'y''z')) AND NOT c NOT BETWEEN -1 AND 2.5e3",
        "s CONTAINS 'w' OR s NOT STARTSWITH 'h' OR s ENDSWITH '🚀' -- c\n", "TRUE = (a <> 7L) /* x */",
    ]

    static let pieces = [
        "a", "b", "c", "s", "missing", "AND", "OR", "NOT", "BETWEEN", "IN", "IS", "NULL", "TRUE", "FALSE",
        "CONTAINS", "STARTSWITH", "ENDSWITH", "=", "<>", "!=", ">", ">=", "<", "<=", "(", ")", ",", "+", "-",
        "'x'", "'女'", "''''", "0", "1", "42", "5000000000", "9223372036854775808", "1.5", ".5", "1e3", "0.0",
        "7L", "--", "/*", "*/", "\n", "'", "女", "🚀", "$", "_", ".", "e", "1e", "#",
    ]

    static let properties: [[String: String]] = [
        [:],
        ["a": "10", "b": "x", "c": "50", "s": "hello 🚀", "age": "25", "sex": "女"],
        ["a": "abc", "b": "", "c": "1e400", "s": "", "age": "NaN", "sex": "男"],
        ["a": "-2147483648", "b": "y'z", "c": "9223372036854775808", "s": "女", "age": " 20 "],
    ]

    @Test func randomAndMutatedExpressionsNeverCrash() {
        var rng = SplitMix(seed: 0x5EED)
        let total = 100_000
        var compiled = 0
        var slowest: UInt64 = 0
        let start = Self.threadCPUNanos()
        for i in 0..<total {
            let text = i % 2 == 0 ? Self.randomExpression(&rng) : Self.mutated(&rng)
            // CPU time of this thread, so that a busy shared machine (preemption) does not fail the bound.
            let begin = Self.threadCPUNanos()
            do {
                let filter = try SQL92Filter(text)
                compiled += 1
                for (k, properties) in Self.properties.enumerated() {
                    let fast = filter.matches(properties: properties)
                    // Differential (on a sample, to keep debug test time down): the flat program, through its
                    // closure and dictionary entry points, must agree with the reference tree evaluator.
                    if (i + k) % 4 == 0 {
                        let tree = filter.evaluateTree { properties[$0] }
                        #expect(filter.evaluate { properties[$0] } == tree, "\(text)")
                        #expect(fast == (tree == true), "\(text)")
                    }
                }
            } catch {
                if let position = error.position {
                    #expect(position.offset >= 0 && position.offset <= text.unicodeScalars.count, "\(text)")
                }
                #expect(!error.description.isEmpty)
            }
            slowest = max(slowest, Self.threadCPUNanos() - begin)
        }
        let elapsed = Double(Self.threadCPUNanos() - start) / 1e9
        #expect(compiled > 1000, "too few valid expressions to exercise the evaluator")
        #expect(slowest < 100_000_000, "slowest expression took \(Double(slowest) / 1e6) ms of CPU")
        #expect(elapsed < 60)
    }

    static func threadCPUNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    static func randomExpression(_ rng: inout SplitMix) -> String {
        let count = 1 + Int(rng.next() % 24)
        var parts: [String] = []
        for _ in 0..<count { parts.append(Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))]) }
        return parts.joined(separator: rng.next() % 4 == 0 ? "" : " ")
    }

    static func mutated(_ rng: inout SplitMix) -> String {
        var scalars = Array(Self.seeds[Int(rng.next() % UInt64(Self.seeds.count))].unicodeScalars)
        let edits = 1 + Int(rng.next() % 4)
        for _ in 0..<edits {
            let position = scalars.isEmpty ? 0 : Int(rng.next() % UInt64(scalars.count))
            switch rng.next() % 4 {
            case 0 where !scalars.isEmpty:
                scalars.remove(at: position)
            case 1:
                let piece = Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))]
                scalars.insert(contentsOf: piece.unicodeScalars, at: position)
            case 2 where !scalars.isEmpty:
                scalars[position] = Unicode.Scalar(UInt8(32 + rng.next() % 95))
            default:
                // Duplicate a slice: builds nesting and long chains.
                let end = min(scalars.count, position + Int(rng.next() % 30))
                scalars.insert(contentsOf: scalars[position..<end], at: position)
            }
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
