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
import RocketMQCommon

/// The stored-message decoder (PROTOCOL.md §6.1) on arbitrary bytes, as a pull or query body would bring them:
/// `decodeAll` with and without bodies, and `decodeOne` record by record. Both ways must agree on every record.
func fuzzStoredMessage(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let buffer = ByteBuffer(bytes: UnsafeRawBufferPointer(start: start, count: count))
    let all = try? MessageDecoder.decodeAll(buffer)
    let headersOnly = try? MessageDecoder.decodeAll(buffer, readBody: false)
    require((all == nil) == (headersOnly == nil), "readBody changed whether the buffer decodes")

    var cursor = buffer
    var one: [MessageExt] = []
    while cursor.readableBytes > 0, let m = try? MessageDecoder.decodeOne(&cursor) { one.append(m) }
    if let all {
        require(all.count == one.count, "decodeOne and decodeAll disagree on the record count")
        for (a, b) in zip(all, one) {
            require(a.topic == b.topic && a.properties == b.properties && a.body == b.body
                         && a.queueOffset == b.queueOffset && a.commitLogOffset == b.commitLogOffset,
                         "decodeOne and decodeAll disagree on a record")
        }
    }
    return 0
}

/// `precondition` that also says why in release builds (libFuzzer prints it next to the input).
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzStoredMessage(data, size) })
