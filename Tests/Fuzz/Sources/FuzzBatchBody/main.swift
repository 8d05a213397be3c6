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
import RocketMQStore

/// The SEND_BATCH_MESSAGE body (PROTOCOL.md §6.5) as `SendMessageProcessor` expands it: arbitrary bytes either
/// expand into records whose bodies are slices of the input, or are refused as malformed.
let host = SocketAddressBytes(address: [127, 0, 0, 1], port: 10911)

func fuzzBatchBody(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let body = ByteBuffer(bytes: UnsafeRawBufferPointer(start: start, count: count))
    let batch = MessageExtBatch.expand(
        body: body, topic: "TopicTest", queueID: 0, sysFlag: 0, bornTimestamp: 0, bornHost: host, storeHost: host,
        extraProperties: "CLUSTER\u{1}DefaultCluster")
    guard let batch else { return 0 }
    var total = 0
    for m in batch.messages {
        total += m.body.readableBytes
        require(m.topic == "TopicTest" && m.queueID == 0, "batch record lost the batch's topic or queue")
        require(MessageProperties.value(of: "CLUSTER", in: m.propertiesString) != nil,
                     "batch record lost the broker's properties")
    }
    require(total <= count, "batch bodies larger than the input")
    return 0
}

/// `precondition` that also says why in release builds (libFuzzer prints it next to the input).
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzBatchBody(data, size) })
