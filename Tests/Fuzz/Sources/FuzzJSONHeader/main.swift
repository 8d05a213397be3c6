//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import CLibFuzzer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import RocketMQRemoting

/// The JSON header codec (serialize type 0) on arbitrary header bytes. A header it accepts must round-trip:
/// encoding the decoded command and decoding that gives the same fields.
func fuzzJSONHeader(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let command = try? JSONHeaderCodec.decode(bytes, body: nil) else { return 0 }
    var encoded = ByteBuffer()
    JSONHeaderCodec.encode(command, into: &encoded)
    let again: RemotingCommand
    do {
        again = try encoded.withUnsafeReadableBytes { (raw) throws(RemotingDecodingError) -> RemotingCommand in
            try JSONHeaderCodec.decode(raw, body: nil)
        }
    } catch {
        fatalError("re-encoded JSON header refused: \(error): \(String(buffer: encoded))")
    }
    require(
        again.code == command.code && again.opaque == command.opaque && again.flag == command.flag
            && again.version == command.version && again.language.name == command.language.name
            && again.remark == command.remark && again.extFields == command.extFields,
        "JSON header did not round-trip: \(command) vs \(again)")
    return 0
}

/// `precondition` that also says why in release builds (libFuzzer prints it next to the input).
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzJSONHeader(data, size) })
