//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import NIOCore
import RocketMQCommon
@testable import RocketMQStore

/// A fresh directory under /tmp, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init(_ name: String = "store") {
        let template = NSTemporaryDirectory() + "rmq-\(name)-XXXXXX"
        var bytes = Array(template.utf8CString)
        let made = bytes.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, let result = mkdtemp(base) else { return nil }
            return String(cString: result)
        }
        self.path = made ?? template
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}

enum StoreTestSupport {
    static let logger = Logger(label: "store-test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func config(_ dir: TemporaryDirectory, commitLogFileSize: Int = 64 * 1024, cqUnits: Int = 1000)
        -> MessageStoreConfig
    {
        var config = MessageStoreConfig(storePathRootDir: dir.path)
        config.mappedFileSizeCommitLog = commitLogFileSize
        config.mappedFileSizeConsumeQueue = cqUnits * 20
        config.maxHashSlotNum = 1000
        config.maxIndexNum = 4000
        config.flushIntervalCommitLog = 50
        config.flushIntervalConsumeQueue = 50
        config.diskUsageRatio = { _ in 0.1 }
        return config
    }

    static func open(_ config: MessageStoreConfig) throws -> DefaultMessageStore {
        let store = DefaultMessageStore(config: config, logger: Self.logger)
        guard try store.load() else { throw StoreError.corruptFile(path: config.storePathRootDir, reason: "load") }
        try store.start()
        return store
    }

    static func message(
        topic: String = "TopicTest", queueID: Int32 = 0, body: String, properties: [String: String] = [:],
        sysFlag: Int32 = 0
    ) -> MessageExtBrokerInner {
        MessageExtBrokerInner(
            topic: topic, queueID: queueID, flag: 0, body: ByteBuffer(string: body),
            propertiesString: MessageProperties.encode(properties),
            tagsCode: MessageExtBrokerInner.tagsString2tagsCode(properties[MessageConst.tags]), sysFlag: sysFlag,
            bornTimestamp: 1_700_000_000_000, bornHost: SocketAddressBytes(address: [127, 0, 0, 1], port: 5555),
            storeHost: SocketAddressBytes(address: [10, 0, 0, 2], port: 10911))
    }

    /// Waits (bounded) until the reput thread dispatched everything.
    static func waitDispatched(_ store: DefaultMessageStore, timeout: Double = 10) async {
        let deadline = Date().addingTimeInterval(timeout)
        while store.dispatchBehindBytes > 0 && Date() < deadline {
            try? await Task.sleep(nanoseconds: 1_000_000)
        }
    }

    static func decode(_ slice: SelectMappedBufferResult) -> MessageExt? {
        var buffer = slice.byteBuffer
        return try? MessageDecoder.decodeOne(&buffer)
    }

    static func touch(_ path: String) {
        let fd = Glibc.open(path, O_CREAT | O_WRONLY, 0o644)
        if fd >= 0 { close(fd) }
    }
}
