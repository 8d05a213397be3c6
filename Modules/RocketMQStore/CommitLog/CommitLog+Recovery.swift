//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// Finding the valid end of the commit log at start-up (Java `recoverNormally` / `recoverAbnormally`).
extension CommitLog {
    /// Scans records from `startOffset` (a record boundary) and returns the end of the valid data.
    ///
    /// A blank marker moves on to the next file; zero bytes, a bad magic, a bad length or a CRC
    /// mismatch end the valid data. `visit` sees every valid record.
    func scanValidEnd(from startOffset: Int64, checkCRC: Bool, visit: ((DispatchRequest) -> Void)? = nil) -> Int64 {
        let files = self.queue.mappedFiles
        guard var index = files.firstIndex(where: {
            startOffset >= $0.fileFromOffset && startOffset < $0.fileFromOffset + Int64(self.fileSize)
        }) else {
            return files.first?.fileFromOffset ?? 0
        }
        var processOffset = startOffset
        var position = Int(startOffset - files[index].fileFromOffset)
        let delayLevels = self.config.delayLevelMillis
        scan: while index < files.count {
            let file = files[index]
            while position < self.fileSize {
                let check = Self.checkRecord(
                    at: file.readPointer + position, available: self.fileSize - position, checkCRC: checkCRC,
                    readProperties: visit != nil, delayLevels: delayLevels, buildRequest: visit != nil)
                switch check {
                case .valid(let size, let commitLogOffset):
                    guard commitLogOffset == file.fileFromOffset + Int64(position) else {
                        self.logger.warning(
                            "commit-log record physical offset mismatch; valid data ends here",
                            metadata: ["offset": "\(file.fileFromOffset + Int64(position))"])
                        break scan
                    }
                    position += Int(size)
                    processOffset = file.fileFromOffset + Int64(position)
                case .message(let request):
                    guard request.commitLogOffset == file.fileFromOffset + Int64(position) else {
                        self.logger.warning(
                            "commit-log record physical offset mismatch; valid data ends here",
                            metadata: ["offset": "\(file.fileFromOffset + Int64(position))"])
                        break scan
                    }
                    visit?(request)
                    position += Int(request.msgSize)
                    processOffset = file.fileFromOffset + Int64(position)
                case .blank:
                    position = self.fileSize
                case .end:
                    break scan
                case .corrupt(let reason):
                    self.logger.warning(
                        "commit-log tail is not a valid record; truncating",
                        metadata: ["offset": "\(file.fileFromOffset + Int64(position))", "reason": "\(reason)"])
                    break scan
                }
            }
            index += 1
            position = 0
            processOffset = file.fileFromOffset + Int64(self.fileSize)
        }
        return processOffset
    }

    /// Start of the file from which a crash recovery must rescan: the newest file whose first record
    /// is older than the checkpoint's safe time (Java `isMappedFileMatchedRecover`).
    func safeRecoveryStart(minTimestamp: Int64) -> Int64 {
        let files = self.queue.mappedFiles
        for file in files.reversed() {
            let base = file.readPointer
            guard base.loadInt32BE(at: 4) == MessageDecoder.messageMagicCode else { continue }
            let sysFlag = base.loadInt32BE(at: StoredRecordLayout.sysFlagPosition)
            let storeTimestamp = base.loadInt64BE(at: MessageEncoder.storeTimestampPosition(sysFlag: sysFlag))
            if storeTimestamp > 0 && storeTimestamp <= minTimestamp {
                return file.fileFromOffset
            }
        }
        return files.first?.fileFromOffset ?? 0
    }

    /// Cuts the log at `validEnd`: zeroes the torn bytes after it and drops later files.
    func truncate(validEnd: Int64) {
        if let file = self.queue.findMappedFile(offset: validEnd) {
            let position = Int(validEnd - file.fileFromOffset)
            // Zero the torn record (its declared size, bounded) and any non-zero pages after it.
            let declared = Int(max(0, file.readPointer.loadInt32BE(at: min(position, self.fileSize - 4))))
            let bound = min(self.fileSize, position + max(declared, self.config.maxMessageSize + 4096))
            file.zero(from: position, to: bound)
            var page = bound
            while page < self.fileSize {
                let end = min(self.fileSize, page + MappedFile.pageSize)
                var clean = true
                var p = page
                while p + 8 <= end {
                    if file.readPointer.loadUnaligned(fromByteOffset: p, as: UInt64.self) != 0 { clean = false; break }
                    p += 8
                }
                if clean { break }
                file.zero(from: page, to: end)
                page = end
            }
        }
        self.queue.truncateDirtyFiles(offset: validEnd)
    }
}
