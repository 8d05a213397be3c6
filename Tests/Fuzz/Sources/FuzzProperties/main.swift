//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import CLibFuzzer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RocketMQCommon

/// The properties string codec (`name\u{1}value\u{2}`…) on arbitrary bytes. Decoding, encoding and decoding
/// again must give the same map, and the single-property lookup must agree with the full decode.
func fuzzProperties(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count).bindMemory(to: UInt8.self)
    let decoded = MessageProperties.decode(utf8: bytes)
    let encoded = MessageProperties.encode(decoded)
    let again = MessageProperties.decode(encoded)
    require(again == decoded, "properties did not round-trip")
    // A sample of names: checking every one of a thousand would make this target quadratic, not the codec.
    for (name, value) in decoded.prefix(16) {
        require(MessageProperties.value(of: name, in: encoded) == value, "lookup disagrees for \(name)")
    }
    // The lookup on the raw bytes sees the first occurrence of a name, the decode the last; both must be values
    // the decode could have produced, and a name the decode does not know must not be found.
    for name in ["TAGS", "KEYS", "UNIQ_KEY", "DELAY", "a"] {
        let found = MessageProperties.value(of: name, inUTF8: bytes)
        if decoded[name] == nil { require(found == nil, "lookup found \(name) the decode dropped") }
    }
    return 0
}

/// `precondition` that also says why in release builds (libFuzzer prints it next to the input).
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzProperties(data, size) })
