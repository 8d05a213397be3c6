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

/// The inbound remoting stream: `RemotingFrameParser` over bytes arriving in the chunk sizes the first byte picks,
/// accumulated as `ByteToMessageHandler` does. Every command that comes out must survive its own encoder: encode
/// it, parse it again, and get the same command.
func fuzzFrameParser(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let first = bytes.first else { return 0 }
    let chunk = Int(first & 0x3F) + 1
    let stream = bytes.dropFirst()
    let parser = RemotingFrameParser(maxFrameLength: 64 * 1024)

    var buffer = ByteBuffer()
    var index = stream.startIndex
    var commands: [RemotingCommand] = []
    feeding: while index < stream.endIndex {
        let end = min(index + chunk, stream.endIndex)
        buffer.writeBytes(stream[index..<end])
        index = end
        do {
            while let command = try parser.parse(&buffer) { commands.append(command) }
        } catch {
            break feeding
        }
    }
    for command in commands {
        var encoded = ByteBuffer()
        RemotingFrameParser.encode(command, into: &encoded)
        let again: RemotingCommand?
        do { again = try parser.parse(&encoded) } catch { fatalError("re-encoded frame refused: \(error)") }
        guard let again else { fatalError("re-encoded frame incomplete") }
        require(encoded.readableBytes == 0, "re-encoded frame left bytes behind")
        require(
            again.code == command.code && again.opaque == command.opaque && again.flag == command.flag
                && again.version == command.version && again.serializeType == command.serializeType
                && again.body == command.body && again.extFields == command.extFields,
            "frame did not round-trip: \(command) vs \(again)")
    }
    return 0
}

/// `precondition` that also says why in release builds (libFuzzer prints it next to the input).
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzFrameParser(data, size) })
