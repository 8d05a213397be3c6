//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import Logging
import NIOCore
import RocketMQCommon
import RocketMQStore

/// Hidden helper for the store crash test: appends under SYNC_FLUSH until killed, printing one
/// line per acknowledged message: `<id> <queueOffset> <physicalOffset>`.
///
/// The body is derived from the id (see ``StoreCrashChild/body(for:)``), so the test can check
/// every acknowledged message byte for byte after it SIGKILLs this process.
struct StoreCrashChild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-crash-child", abstract: "Append under SYNC_FLUSH forever (crash test helper).",
        shouldDisplay: false)

    static let topic = "CrashTest"

    @Option(help: "Store root directory.")
    var dir: String

    @Option(help: "Commit-log file size in bytes.")
    var fileSize: Int = 256 * 1024

    @Option(help: "Concurrent appenders.")
    var concurrency: Int = 4

    /// The body for a message id; the test has an identical copy.
    static func body(for id: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in id.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let length = Int(hash % 700)
        return "crash-\(id)-" + String(repeating: Character(UnicodeScalar(UInt8(97 + hash % 26))), count: length)
    }

    func run() async throws {
        var config = MessageStoreConfig(storePathRootDir: self.dir)
        config.mappedFileSizeCommitLog = self.fileSize
        config.mappedFileSizeConsumeQueue = 2000 * 20
        config.maxHashSlotNum = 1000
        config.maxIndexNum = 4000
        config.flushDiskType = .syncFlush
        config.flushIntervalConsumeQueue = 20
        let logger = Logger(label: "crash-child", factory: { _ in SwiftLogNoOpLogHandler() })
        let store = DefaultMessageStore(config: config, logger: logger)
        guard try store.load() else { throw ExitCode.failure }
        try store.start()
        let pid = getpid()
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<self.concurrency {
                group.addTask {
                    var n = 0
                    while true {
                        let id = "\(pid)-\(worker)-\(n)"
                        n += 1
                        let message = MessageExtBrokerInner(
                            topic: Self.topic, queueID: 0, body: ByteBuffer(string: Self.body(for: id)),
                            propertiesString: MessageProperties.encode([MessageConst.keys: id]),
                            bornHost: SocketAddressBytes(address: [127, 0, 0, 1], port: 1),
                            storeHost: SocketAddressBytes(address: [127, 0, 0, 1], port: 10911))
                        let result = await store.putMessage(message)
                        guard result.isOK, let append = result.appendResult else { continue }
                        let line = "\(id) \(append.logicsOffset) \(append.wroteOffset)\n"
                        // One write(2) per line: whole lines even with concurrent appenders.
                        line.utf8CString.withUnsafeBufferPointer { buffer in
                            _ = write(STDOUT_FILENO, buffer.baseAddress, buffer.count - 1)
                        }
                    }
                }
            }
        }
    }
}
