//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import RocketMQCommon
import Synchronization

/// The ordered, contiguous list of files of one commit log or consume queue (Java `MappedFileQueue`).
///
/// The list is guarded by its own `Mutex`, separate from the commit-log append lock, so readers
/// looking up a file never wait for an append. Appends to the list happen only from the queue's
/// single writer.
final class MappedFileQueue: Sendable {
    let directory: String
    let fileSize: Int
    private let files = Mutex<[MappedFile]>([])
    /// Global offset up to which data is on disk.
    let flushedWhere = Atomic<Int64>(0)

    let reservation: BlockReservation

    init(directory: String, fileSize: Int, reservation: BlockReservation = .whole) {
        self.directory = directory
        self.fileSize = fileSize
        self.reservation = reservation
    }

    /// Maps every existing file, in offset order; all are marked fully written until recovery says otherwise.
    func load() throws(StoreError) {
        try Self.makeDirectory(self.directory)
        let names = FileIO.listDirectory(self.directory) ?? []
        var loaded: [MappedFile] = []
        var storeFiles: [(name: String, offset: Int64)] = []
        for name in names.sorted() {
            if name.hasSuffix(MappedFile.creatingSuffix) {
                // A crash interrupted creating this file: it never held data.
                unlink(self.directory + "/" + name)
                continue
            }
            guard name.utf8.count == 20, let offset = Int64(name) else { continue }
            storeFiles.append((name, offset))
        }
        // Stores written before files were created atomically: a crash between create and size left
        // an empty last file. Empty files at the end hold nothing; drop them rather than refuse to start.
        while let last = storeFiles.last, FileIO.fileSize(self.directory + "/" + last.name) == 0 {
            unlink(self.directory + "/" + last.name)
            storeFiles.removeLast()
        }
        for (name, offset) in storeFiles {
            let file = try MappedFile.open(
                path: self.directory + "/" + name, fileFromOffset: offset, fileSize: self.fileSize, create: false,
                reservation: self.reservation)
            file.wrotePosition.store(self.fileSize, ordering: .releasing)
            file.flushedPosition.store(self.fileSize, ordering: .releasing)
            loaded.append(file)
        }
        self.files.withLock { $0 = loaded }
    }

    static func makeDirectory(_ path: String) throws(StoreError) {
        do {
            try FileIO.makeDirectories(path)
        } catch {
            throw StoreError.io(operation: "mkdir", path: path, errno: errno)
        }
    }

    /// A snapshot of the files (cheap: copies references).
    var mappedFiles: [MappedFile] { self.files.withLock { $0 } }
    var lastMappedFile: MappedFile? { self.files.withLock { $0.last } }
    var firstMappedFile: MappedFile? { self.files.withLock { $0.first } }
    var isEmpty: Bool { self.files.withLock { $0.isEmpty } }

    /// Creates and maps the file starting at `fromOffset` without adding it to the list.
    func createFile(at fromOffset: Int64) throws(StoreError) -> MappedFile {
        try Self.makeDirectory(self.directory)
        return try MappedFile.open(
            directory: self.directory, fileFromOffset: fromOffset, fileSize: self.fileSize, create: true,
            reservation: self.reservation)
    }

    func append(_ file: MappedFile) {
        self.files.withLock { $0.append(file) }
    }

    /// The last file if it has room, else a new one at the next offset (or at `startOffset`'s file when empty).
    func lastMappedFile(startOffset: Int64) throws(StoreError) -> MappedFile {
        if let last = self.lastMappedFile, !last.isFull { return last }
        let from: Int64
        if let last = self.lastMappedFile {
            from = last.fileFromOffset + Int64(self.fileSize)
        } else {
            from = startOffset - startOffset % Int64(self.fileSize)
        }
        let file = try self.createFile(at: from)
        self.append(file)
        return file
    }

    /// The file containing global `offset`; the first file when not found and asked to.
    func findMappedFile(offset: Int64, returnFirstOnNotFound: Bool = false) -> MappedFile? {
        self.files.withLock { files -> MappedFile? in
            guard let first = files.first else { return nil }
            if offset >= first.fileFromOffset {
                let index = Int((offset - first.fileFromOffset) / Int64(self.fileSize))
                if index < files.count {
                    let candidate = files[index]
                    if offset >= candidate.fileFromOffset && offset < candidate.fileFromOffset + Int64(self.fileSize) {
                        return candidate
                    }
                }
                for file in files
                where offset >= file.fileFromOffset && offset < file.fileFromOffset + Int64(self.fileSize) {
                    return file
                }
            }
            return returnFirstOnNotFound ? first : nil
        }
    }

    var minOffset: Int64 { self.firstMappedFile?.fileFromOffset ?? 0 }

    /// End of written data: last file's start plus its written bytes.
    var maxOffset: Int64 {
        guard let last = self.lastMappedFile else { return 0 }
        return last.fileFromOffset + Int64(last.wrotePosition.load(ordering: .acquiring))
    }

    /// Flushes the file at ``flushedWhere``; returns true when something was flushed.
    ///
    /// Only one thread flushes a queue at a time (its flush service, or shutdown after it stopped).
    @discardableResult
    func flush(leastPages: Int) -> Bool {
        let where0 = self.flushedWhere.load(ordering: .acquiring)
        guard let file = self.findMappedFile(offset: where0, returnFirstOnNotFound: where0 == 0) else { return false }
        let position = file.flush(leastPages: leastPages)
        let newWhere = file.fileFromOffset + Int64(position)
        self.flushedWhere.store(newWhere, ordering: .releasing)
        return newWhere != where0
    }

    /// Flushes until everything written is on disk.
    func flushAll() {
        while self.flush(leastPages: 0) {}
    }

    /// Sets write/flush positions after recovery: files below `offset` full, the file containing it
    /// at `offset`, files entirely above it deleted.
    func truncateDirtyFiles(offset: Int64) {
        let doomed = self.files.withLock { files -> [MappedFile] in
            var keep: [MappedFile] = []
            var drop: [MappedFile] = []
            for file in files {
                let end = file.fileFromOffset + Int64(self.fileSize)
                if end <= offset {
                    keep.append(file)
                } else if offset >= file.fileFromOffset {
                    let position = Int(offset - file.fileFromOffset)
                    file.wrotePosition.store(position, ordering: .releasing)
                    file.flushedPosition.store(position, ordering: .releasing)
                    keep.append(file)
                } else {
                    drop.append(file)
                }
            }
            files = keep
            return drop
        }
        for file in doomed { file.destroy() }
        self.flushedWhere.store(offset, ordering: .releasing)
    }

    /// Removes the first file (retention); the caller decided it may go.
    func removeFirst(_ file: MappedFile) {
        self.files.withLock { files in
            if let index = files.firstIndex(where: { $0 === file }) { files.remove(at: index) }
        }
        file.destroy()
    }

    /// Deletes every file (topic deletion, tests).
    func destroyAll() {
        let all = self.files.withLock { files -> [MappedFile] in
            let copy = files
            files.removeAll()
            return copy
        }
        for file in all { file.destroy() }
        self.flushedWhere.store(0, ordering: .releasing)
        rmdir(self.directory)
    }

    /// Deletes files (except the last) not modified for `expiredMillis`, or all but the last when forced.
    ///
    /// Stops at the first file it keeps, so the remaining files stay contiguous.
    func deleteExpiredFilesByTime(expiredMillis: Int64, now: Int64, cleanImmediately: Bool, maxFiles: Int = 10)
        -> Int
    {
        let snapshot = self.mappedFiles
        guard snapshot.count > 1 else { return 0 }
        var deleted = 0
        for file in snapshot.dropLast() {
            guard deleted < maxFiles else { break }
            if cleanImmediately || now >= file.lastModifiedMillis + expiredMillis {
                self.removeFirst(file)
                deleted += 1
            } else {
                break
            }
        }
        return deleted
    }
}
