//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif

/// The commit log as master/slave replication sees it (Java `CommitLog.getData` / `appendData`).
///
/// A master hands out raw bytes of its log from any offset, never across a file boundary; a slave
/// writes those bytes verbatim at the same offsets, so both logs are byte-identical and the slave's
/// reput builds its own consume queues and index from them.
extension CommitLog {
    /// Outcome of writing a block received from the master.
    enum ReplicaAppend: Equatable, Sendable {
        case appended(fileSwitched: Bool)
        /// The block does not start where this log ends (`expected`).
        case offsetMismatch(expected: Int64)
        /// The block cannot be placed (file size differs from the master's, file creation failed).
        case refused(String)
    }

    /// Up to `maxSize` written bytes from `offset`, within the file holding it (nil when nothing is there yet).
    func replicationData(from offset: Int64, maxSize: Int) -> SelectMappedBufferResult? {
        guard maxSize > 0, let file = self.queue.findMappedFile(offset: offset) else { return nil }
        let position = Int(offset - file.fileFromOffset)
        let written = file.wrotePosition.load(ordering: .acquiring)
        guard position < written else { return nil }
        return file.slice(position: position, size: min(written - position, maxSize))
    }

    /// Writes master bytes at `startOffset`, which must be this log's end (or any file start while
    /// the log is empty). Called only by the slave's single HA connection, so it is the only writer.
    func appendReplicated(at startOffset: Int64, bytes: UnsafeRawBufferPointer) -> ReplicaAppend {
        let fileSize = self.fileSize
        let count = bytes.count
        return self.state.withLock { s -> ReplicaAppend in
            let end = self.maxOffset
            let empty = s.current == nil && self.queue.isEmpty
            guard startOffset == end || (empty && startOffset >= 0) else { return .offsetMismatch(expected: end) }
            var switched = false
            var file: MappedFile
            if let current = s.current, !current.isFull,
                startOffset >= current.fileFromOffset, startOffset < current.fileFromOffset + Int64(fileSize)
            {
                file = current
            } else {
                guard startOffset % Int64(fileSize) == 0 else {
                    return .refused(
                        "block at \(startOffset) does not start a commit-log file of \(fileSize) bytes; "
                            + "mappedFileSizeCommitLog must be the same on master and slave")
                }
                guard let next = self.takeNextFile(&s, from: startOffset) else {
                    return .refused("cannot create commit-log file at \(startOffset)")
                }
                file = next
                switched = true
            }
            let position = Int(startOffset - file.fileFromOffset)
            guard position == file.wrotePosition.load(ordering: .relaxed), position + count <= fileSize else {
                return .refused(
                    "block of \(count) bytes at \(startOffset) crosses the end of a \(fileSize)-byte commit-log file; "
                        + "mappedFileSizeCommitLog must be the same on master and slave")
            }
            if count > 0, let source = bytes.baseAddress {
                memcpy(file.base + position, source, count)
            }
            file.wrotePosition.store(position + count, ordering: .releasing)
            self.maxPhysicalOffset.store(startOffset + Int64(count), ordering: .releasing)
            return .appended(fileSwitched: switched)
        }
    }
}
