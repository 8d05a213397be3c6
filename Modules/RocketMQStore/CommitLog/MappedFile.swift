//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// How a new store file gets its disk blocks.
enum BlockReservation: Sendable {
    /// All at creation (commit log, index): a full device fails the creation, never a later write.
    case whole
    /// In chunks, by the writer, ahead of each write (``MappedFile/reserve(through:)``; consume queues):
    /// thousands of queues must not each hold a whole file's blocks from their first message.
    case incremental
}

/// One memory-mapped store file (Java `MappedFile`), named by its 20-digit start offset.
///
/// Thread safety: the mapping (`base`) never moves and is unmapped only in `deinit`, so any holder
/// of a reference (a reader's ``SelectMappedBufferResult``) may read it even after ``destroy()``
/// unlinked the file. Bytes below `wrotePosition` are immutable once published (release store after
/// the copy); bytes above it are written only by the single writer of the owning queue (the
/// commit-log lock holder, or the reput thread for consume queues and index files).
final class MappedFile: @unchecked Sendable {
    static let pageSize = 4096

    let path: String
    let fileFromOffset: Int64
    let fileSize: Int
    let base: UnsafeMutableRawPointer
    private let fd: Int32
    /// Bytes written and visible to readers.
    let wrotePosition = Atomic<Int>(0)
    /// Bytes known to be on disk.
    let flushedPosition = Atomic<Int>(0)
    /// Store timestamp of the last record written (commit log only), for the checkpoint.
    let lastStoreTimestamp = Atomic<Int64>(0)
    private let destroyed = Atomic<Bool>(false)
    /// Bytes from the start known to have disk blocks (``BlockReservation/incremental`` files).
    private let reservedPosition = Atomic<Int>(0)
    static let reservationChunk = 64 * 1024

    var readPointer: UnsafeRawPointer { UnsafeRawPointer(self.base) }

    private init(path: String, fileFromOffset: Int64, fileSize: Int, base: UnsafeMutableRawPointer, fd: Int32) {
        self.path = path
        self.fileFromOffset = fileFromOffset
        self.fileSize = fileSize
        self.base = base
        self.fd = fd
    }

    deinit {
        munmap(self.base, self.fileSize)
        close(self.fd)
    }

    /// 20-digit zero-padded decimal, as upstream's `UtilAll.offset2FileName`.
    static func fileName(forOffset offset: Int64) -> String {
        let digits = String(offset)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// Opens (creating if needed) and maps a file of exactly `fileSize` bytes.
    ///
    /// An existing file of another size is reported as corrupt rather than resized: upstream refuses
    /// to load such a store too.
    static func open(directory: String, fileFromOffset: Int64, fileSize: Int, create: Bool,
                     reservation: BlockReservation = .whole) throws(StoreError) -> MappedFile
    {
        let path = directory + "/" + Self.fileName(forOffset: fileFromOffset)
        return try Self.open(path: path, fileFromOffset: fileFromOffset, fileSize: fileSize, create: create,
                             reservation: reservation)
    }

    /// Suffix of a file being created: sized under this name, then renamed, so a crash mid-creation
    /// never leaves a store file of the wrong size under a real name.
    static let creatingSuffix = ".creating"

    static func open(path: String, fileFromOffset: Int64, fileSize: Int, create: Bool,
                     reservation: BlockReservation = .whole) throws(StoreError) -> MappedFile {
        let whole = reservation == .whole
        let existed = access(path, F_OK) == 0
        if create && !existed { try Self.createSized(path: path, fileSize: fileSize, reserve: whole) }
        let fd = Glibc.open(path, O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.io(operation: "open", path: path, errno: errno) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            close(fd)
            throw StoreError.io(operation: "fstat", path: path, errno: e)
        }
        if Int(st.st_size) != fileSize {
            guard create, st.st_size == 0 else {
                close(fd)
                throw StoreError.corruptFile(path: path, reason: "size \(st.st_size) != expected \(fileSize)")
            }
            do throws(StoreError) {
                try Self.size(fd: fd, path: path, fileSize: fileSize, reserve: whole)
            } catch {
                close(fd)
                throw error
            }
            StoreFileEvents.emit(.created(path: path, size: fileSize))
        } else if create && existed {
            // Asked to create a file someone else just made (the appender overtaking the allocator): its
            // name may not be durable yet, and this caller's writes will be acknowledged, so sync it here.
            StoreFileEvents.syncDirectory(of: path)
            StoreFileEvents.emit(.created(path: path, size: fileSize))
        }
        let mapped = mmap(nil, fileSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        guard let mapped, mapped != MAP_FAILED else {
            let e = errno
            close(fd)
            throw StoreError.io(operation: "mmap", path: path, errno: e)
        }
        if !whole {
            // Written a unit at a time: without this, the first write fault reads ahead (zeroes) a large
            // folio of an unwritten file, ~10 ms per new queue on ext4.
            _ = madvise(mapped, fileSize, MADV_RANDOM)
        }
        let file = MappedFile(path: path, fileFromOffset: fileFromOffset, fileSize: fileSize, base: mapped, fd: fd)
        // Existing data has its blocks; a whole reservation covers everything.
        file.reservedPosition.store(whole ? fileSize : 0, ordering: .relaxed)
        return file
    }

    /// Makes sure bytes `[0, end)` have disk blocks before the writer touches them (incremental files),
    /// reserving a chunk at a time; false (nothing written) when the device is full.
    ///
    /// Called by the file's single writer. Blocks of data already there are found reserved at no cost:
    /// `fallocate` over allocated ranges does nothing.
    func reserve(through end: Int) -> Bool {
        let reserved = self.reservedPosition.load(ordering: .relaxed)
        guard end > reserved else { return true }
        let target = min(self.fileSize, max(end, reserved + Self.reservationChunk))
        guard posix_fallocate(self.fd, off_t(reserved), off_t(target - reserved)) == 0 else { return false }
        self.reservedPosition.store(target, ordering: .relaxed)
        return true
    }

    /// Creates `path` at its full size atomically: sized under a temporary name, then renamed.
    private static func createSized(path: String, fileSize: Int, reserve: Bool) throws(StoreError) {
        let temporary = path + Self.creatingSuffix
        let fd = Glibc.open(temporary, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.io(operation: "open", path: temporary, errno: errno) }
        defer { close(fd) }
        do throws(StoreError) {
            try Self.size(fd: fd, path: temporary, fileSize: fileSize, reserve: reserve)
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let e = errno
            unlink(temporary)
            throw StoreError.io(operation: "rename", path: temporary, errno: e)
        }
        StoreFileEvents.syncDirectory(of: path)
        StoreFileEvents.emit(.created(path: path, size: fileSize))
    }

    /// Sizes the file and, for ``BlockReservation/whole``, reserves its blocks.
    ///
    /// A sparse file (`ftruncate` alone) would let a full device surface later as SIGBUS on the first
    /// write to an unbacked mapped page, killing the process mid-append; with the blocks reserved up
    /// front, a full device fails here with ENOSPC and the caller refuses the write instead.
    /// `posix_fallocate` falls back to writing zeros where the file system has no `fallocate`.
    private static func size(fd: Int32, path: String, fileSize: Int, reserve: Bool) throws(StoreError) {
        guard ftruncate(fd, off_t(fileSize)) == 0 else {
            throw StoreError.io(operation: "ftruncate", path: path, errno: errno)
        }
        guard reserve else { return }
        let result = posix_fallocate(fd, 0, off_t(fileSize))
        guard result == 0 else {
            // Give the blocks already taken back: leave an empty file, never a half-backed one.
            _ = ftruncate(fd, 0)
            throw StoreError.io(operation: "fallocate", path: path, errno: result)
        }
    }

    var isFull: Bool { self.wrotePosition.load(ordering: .acquiring) >= self.fileSize }
    var isDestroyed: Bool { self.destroyed.load(ordering: .acquiring) }

    /// Pre-faults every page for writing so appends take no page faults (Java `warmMappedFile`).
    ///
    /// The write fault (block reservation in the file system) is the expensive part, so a read-only
    /// populate is not enough; as upstream's warm-up, this dirties the pages once. Uses
    /// `MADV_POPULATE_WRITE` (Linux 5.14+), else writes a zero into each page.
    func warm() {
        let madvPopulateWrite: Int32 = 23
        if madvise(self.base, self.fileSize, madvPopulateWrite) == 0 { return }
        // Only an old kernel without the advice falls back to touching pages; any other failure
        // (no memory) must not turn into a fault here.
        guard errno == EINVAL else { return }
        var offset = 0
        while offset < self.fileSize {
            self.base.storeBytes(of: 0, toByteOffset: offset, as: UInt8.self)
            offset += Self.pageSize
        }
    }

    /// Flushes written bytes to disk when at least `leastPages` dirty pages accumulated (0 = any).
    ///
    /// Called from one flushing thread at a time. Returns the flushed position afterwards; a failed
    /// `msync` leaves it where it was, so sends waiting for the disk time out instead of being
    /// acknowledged.
    @discardableResult
    func flush(leastPages: Int) -> Int {
        let write = self.wrotePosition.load(ordering: .acquiring)
        let flushed = self.flushedPosition.load(ordering: .acquiring)
        guard write > flushed else { return flushed }
        let full = write >= self.fileSize
        if leastPages > 0 && !full && (write / Self.pageSize - flushed / Self.pageSize) < leastPages {
            return flushed
        }
        let start = flushed & ~(Self.pageSize - 1)
        if !self.isDestroyed {
            guard msync(self.base + start, write - start, MS_SYNC) == 0 else { return flushed }
            StoreFileEvents.emit(.synced(path: self.path, offset: start,
                                         bytes: UnsafeRawBufferPointer(start: self.base + start, count: write - start)))
        }
        self.flushedPosition.store(write, ordering: .releasing)
        return write
    }

    /// Last modification time in ms, used by time-based retention.
    var lastModifiedMillis: Int64 {
        var st = stat()
        guard fstat(self.fd, &st) == 0 else { return 0 }
        return Int64(st.st_mtim.tv_sec) * 1000 + Int64(st.st_mtim.tv_nsec) / 1_000_000
    }

    /// Updates the modification time (mmap writes do not always do so promptly).
    func touch() {
        _ = futimens(self.fd, nil)
    }

    /// Zeroes `[from, to)` page by page, skipping pages already zero so a sparse tail stays sparse.
    func zero(from: Int, to: Int) {
        var position = max(0, from)
        let end = min(to, self.fileSize)
        while position < end {
            let pageEnd = min(end, (position / Self.pageSize + 1) * Self.pageSize)
            var dirty = false
            var p = position
            while p + 8 <= pageEnd {
                if self.base.loadUnaligned(fromByteOffset: p, as: UInt64.self) != 0 { dirty = true; break }
                p += 8
            }
            while !dirty && p < pageEnd {
                if self.base.load(fromByteOffset: p, as: UInt8.self) != 0 { dirty = true }
                p += 1
            }
            if dirty { memset(self.base + position, 0, pageEnd - position) }
            position = pageEnd
        }
    }

    /// A view of `size` bytes at `position`, keeping this file mapped while the view lives.
    func slice(position: Int, size: Int) -> SelectMappedBufferResult {
        SelectMappedBufferResult(mappedFile: self, position: position, size: size)
    }

    /// Unlinks the file; the mapping lives on until the last reference is gone.
    func destroy() {
        guard self.destroyed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
            .exchanged
        else { return }
        unlink(self.path)
        StoreFileEvents.emit(.removed(path: self.path))
    }
}
