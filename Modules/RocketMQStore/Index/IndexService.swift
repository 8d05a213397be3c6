//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import Logging
import RocketMQCommon
import Synchronization

/// Result of an index lookup (Java `QueryOffsetResult`).
public struct QueryOffsetResult: Sendable {
    /// Commit-log offsets, newest first.
    public var phyOffsets: [Int64]
    public var indexLastUpdateTimestamp: Int64
    public var indexLastUpdatePhyoffset: Int64
}

/// Builds and queries the key index (Java `IndexService`).
///
/// One `Mutex` serialises the reput thread's inserts with queries and flushes; index traffic is
/// light (one or two keys per message), so the lock is rarely contended.
final class IndexService: Sendable {
    private struct State: @unchecked Sendable {
        // IndexFile is a class mutated only while holding `IndexService.files`.
        var files: [IndexFile] = []
    }

    let directory: String
    let hashSlotNum: Int
    let indexNum: Int
    let logger: Logger
    private let files = Mutex(State())

    init(config: MessageStoreConfig, logger: Logger) {
        self.directory = config.storePathIndex
        self.hashSlotNum = config.maxHashSlotNum
        self.indexNum = config.maxIndexNum
        self.logger = logger
    }

    var fileSize: Int { IndexFile.fileSize(hashSlotNum: self.hashSlotNum, indexNum: self.indexNum) }

    /// Maps existing index files (named by creation time, so name order is age order).
    func load() throws(StoreError) {
        try MappedFileQueue.makeDirectory(self.directory)
        let names = (FileIO.listDirectory(self.directory) ?? []).sorted()
        var loaded: [IndexFile] = []
        for name in names where name.utf8.count == 17 && name.allSatisfy(\.isNumber) {
            let file = try MappedFile.open(
                path: self.directory + "/" + name, fileFromOffset: 0, fileSize: self.fileSize, create: false)
            loaded.append(IndexFile(mappedFile: file, hashSlotNum: self.hashSlotNum, indexNum: self.indexNum, load: true))
        }
        self.files.withLock { $0.files = loaded }
    }

    /// `yyyyMMddHHmmssSSS` in local time, as upstream names index files.
    static func fileName(millis: Int64) -> String {
        var seconds = time_t(millis / 1000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let s = String(value)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2) + pad(parts.tm_hour, 2)
            + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2) + pad(Int32(millis % 1000), 3)
    }

    private func createFile(_ state: inout State) -> IndexFile? {
        var millis = Clock.millis()
        var path = self.directory + "/" + Self.fileName(millis: millis)
        while state.files.contains(where: { $0.fileName == path }) || access(path, F_OK) == 0 {
            millis += 1
            path = self.directory + "/" + Self.fileName(millis: millis)
        }
        do {
            try MappedFileQueue.makeDirectory(self.directory)
            let mapped = try MappedFile.open(path: path, fileFromOffset: 0, fileSize: self.fileSize, create: true)
            let file = IndexFile(mappedFile: mapped, hashSlotNum: self.hashSlotNum, indexNum: self.indexNum, load: false)
            if let previous = state.files.last { previous.flush() }
            state.files.append(file)
            return file
        } catch {
            self.logger.error("cannot create index file", metadata: ["error": "\(error)"])
            return nil
        }
    }

    static func buildKey(topic: String, key: String) -> String { topic + "#" + key }

    /// Indexes UNIQ_KEY and each `KEYS` token of one record (Java `buildIndex`); called by the dispatching thread.
    func buildIndex(_ request: DispatchRequest) {
        let tranType = MessageSysFlag.transactionValue(request.sysFlag)
        guard tranType != MessageSysFlag.transactionRollbackType else { return }
        var keys: [String] = []
        if let uniq = request.uniqKey, !uniq.isEmpty { keys.append(uniq) }
        if !request.keys.isEmpty {
            for token in request.keys.split(separator: " ") where !token.isEmpty { keys.append(String(token)) }
        }
        guard !keys.isEmpty else { return }
        self.files.withLock { state in
            guard var file = state.files.last ?? self.createFile(&state) else { return }
            if file.indexCount > 1 && request.commitLogOffset <= file.endPhyOffset { return }
            for key in keys {
                let full = Self.buildKey(topic: request.topic, key: key)
                if !file.putKey(full, phyOffset: request.commitLogOffset, storeTimestamp: request.storeTimestamp) {
                    // The full file's end stays at its last whole record: after a crash before the new
                    // file exists, this record is indexed again from its first key.
                    guard let next = self.createFile(&state) else { return }
                    file = next
                    _ = file.putKey(full, phyOffset: request.commitLogOffset, storeTimestamp: request.storeTimestamp)
                }
            }
            file.finishRecord(phyOffset: request.commitLogOffset, storeTimestamp: request.storeTimestamp)
        }
    }

    /// Offsets of messages with `key` stored within `[begin, end]` ms, newest first (Java `queryOffset`).
    func queryOffset(topic: String, key: String, maxNum: Int, begin: Int64, end: Int64) -> QueryOffsetResult {
        let full = Self.buildKey(topic: topic, key: key)
        return self.files.withLock { state in
            var offsets: [Int64] = []
            var lastTimestamp: Int64 = 0
            var lastPhyOffset: Int64 = 0
            for (i, file) in state.files.enumerated().reversed() {
                if i == state.files.count - 1 {
                    lastTimestamp = file.endTimestamp
                    lastPhyOffset = file.endPhyOffset
                }
                if file.isTimeMatched(begin: begin, end: end) {
                    file.selectPhyOffset(key: full, maxNum: maxNum, begin: begin, end: end, into: &offsets)
                }
                if file.beginTimestamp < begin || offsets.count >= maxNum { break }
            }
            return QueryOffsetResult(
                phyOffsets: offsets, indexLastUpdateTimestamp: lastTimestamp, indexLastUpdatePhyoffset: lastPhyOffset)
        }
    }

    /// Flushes every index file; returns the newest indexed store time.
    @discardableResult
    func flush() -> Int64 {
        self.files.withLock { state in
            for file in state.files { file.flush() }
            return state.files.last?.endTimestamp ?? 0
        }
    }

    /// Deletes files (except the newest) whose entries all point before `phyMinOffset`.
    func deleteExpiredFiles(phyMinOffset: Int64) {
        self.files.withLock { state in
            while state.files.count > 1, let first = state.files.first, first.endPhyOffset < phyMinOffset {
                first.mappedFile.destroy()
                state.files.removeFirst()
            }
        }
    }

    /// Commit-log offset of the newest indexed record (-1 when nothing is indexed).
    var lastIndexedOffset: Int64 {
        self.files.withLock { state in
            guard let last = state.files.last, last.indexCount > 1 else { return -1 }
            return last.endPhyOffset
        }
    }

    var fileCount: Int { self.files.withLock { $0.files.count } }

    /// Runs `body` on the newest file under the lock (tests reach a file's internals through it).
    func withNewestFile(_ body: (IndexFile) -> Void) {
        self.files.withLock { state in
            if let last = state.files.last { body(last) }
        }
    }

    func destroy() {
        self.files.withLock { state in
            for file in state.files { file.mappedFile.destroy() }
            state.files.removeAll()
        }
    }
}
