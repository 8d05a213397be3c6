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

/// The ROCKETMQ binary header codec (serialize type 1) on arbitrary header bytes. A header it accepts must
/// round-trip through its encoder, and the JSON codec must carry the same command too.
func fuzzRocketMQHeader(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    var header = ByteBuffer(bytes: UnsafeRawBufferPointer(start: start, count: count))
    guard let command = try? RocketMQHeaderCodec.decode(&header, body: nil) else { return 0 }
    var encoded = ByteBuffer()
    RocketMQHeaderCodec.encode(command, into: &encoded)
    let again: RemotingCommand
    do { again = try RocketMQHeaderCodec.decode(&encoded, body: nil) } catch {
        fatalError("re-encoded ROCKETMQ header refused: \(error)")
    }
    func same(_ a: RemotingCommand, _ b: RemotingCommand) -> Bool {
        a.code == b.code && a.opaque == b.opaque && a.flag == b.flag && a.version == b.version
            && a.language.name == b.language.name && a.remark == b.remark && a.extFields == b.extFields
    }
    require(same(again, command), "ROCKETMQ header did not round-trip: \(command) vs \(again)")

    var json = ByteBuffer()
    JSONHeaderCodec.encode(command, into: &json)
    let viaJSON: RemotingCommand
    do {
        viaJSON = try json.withUnsafeReadableBytes { (raw) throws(RemotingDecodingError) -> RemotingCommand in
            try JSONHeaderCodec.decode(raw, body: nil)
        }
    } catch {
        fatalError("JSON encoding of a ROCKETMQ header refused: \(error): \(String(buffer: json))")
    }
    // A language byte with no name travels through JSON as "OTHER", so names are compared, not bytes.
    require(same(viaJSON, command), "ROCKETMQ header changed through JSON: \(command) vs \(viaJSON)")
    return 0
}

/// `precondition` that also says why in release builds (libFuzzer prints it next to the input).
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzRocketMQHeader(data, size) })
