//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import CLibFuzzer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RocketMQFilter

/// The SQL92 selector compiler (lexer, parser, checks, program) on arbitrary text, then both evaluation paths
/// on a fixed set of properties: the compiled program (`matches(properties:)`) and the lookup-based evaluator
/// must agree that the message is delivered.
let properties: [String: String] = [
    "a": "1", "b": "2.5", "c": "abc", "TAGS": "TagA", "KEYS": "k1 k2", "flag": "true", "neg": "-3",
    "big": "9223372036854775807", "e": "1e308", "empty": "x", "s": "100%_", "u": "\u{4E2D}\u{6587}",
]

func fuzzSQL92(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    guard let filter = try? SQL92Filter(text) else { return 0 }
    let compiled = filter.matches(properties: properties)
    let looked = filter.matches { properties[$0] }
    require(compiled == looked, "SQL92 program and evaluator disagree on \(text)")
    _ = filter.matches(properties: [:])
    return 0
}

/// `precondition` that also says why in release builds (libFuzzer prints it next to the input).
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzSQL92(data, size) })
