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
import RocketMQStore

/// The HA link from both ends: the slave's `HATransferParser` over the master's stream, fed in the chunk sizes
/// the first byte picks, and the master's `HAReportParser` over the same bytes. A transfer must come out whole
/// and in order however the bytes are cut.
func fuzzHAFrames(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let first = bytes.first else { return 0 }
    let chunk = Int(first % 16) + 1
    let stream = bytes.dropFirst()

    func transfers(chunkSize: Int) -> ([HATransfer], HAFrameError?) {
        var parser = HATransferParser(maxBodySize: 64 * 1024)
        var out: [HATransfer] = []
        var index = stream.startIndex
        while index < stream.endIndex {
            let end = min(index + chunkSize, stream.endIndex)
            parser.append(ByteBuffer(bytes: stream[index..<end]))
            index = end
            do {
                while let t = try parser.next() { out.append(t) }
            } catch {
                return (out, error)
            }
            parser.compact()
        }
        return (out, nil)
    }
    let whole = transfers(chunkSize: max(stream.count, 1))
    let cut = transfers(chunkSize: chunk)
    require(whole.0 == cut.0 && whole.1 == cut.1, "HA transfers depend on how the stream was cut")

    var reports = HAReportParser()
    var last: Int64?
    var index = stream.startIndex
    while index < stream.endIndex {
        let end = min(index + chunk, stream.endIndex)
        if let v = reports.append(ByteBuffer(bytes: stream[index..<end])) { last = v }
        index = end
    }
    let completeReports = stream.count / HAFrame.reportSize
    if completeReports > 0 {
        let o = stream.startIndex + (completeReports - 1) * HAFrame.reportSize
        let expected = stream[o..<(o + 8)].reduce(Int64(0)) { $0 << 8 | Int64($1) }
        require(last == expected, "HA report parser lost the newest report")
    } else {
        require(last == nil, "HA report parser made up a report")
    }
    return 0
}

/// `precondition` that also says why in release builds (libFuzzer prints it next to the input).
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzHAFrames(data, size) })
