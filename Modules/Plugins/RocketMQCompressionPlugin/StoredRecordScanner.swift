//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// Walks back-to-back stored records (PROTOCOL.md §6.1) and splices a new body into one.
enum StoredRecordScanner {
    static func int32(_ b: ArraySlice<UInt8>, _ at: Int) -> Int32 {
        let i = b.startIndex + at
        return Int32(bitPattern: UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3]))
    }

    static func put32(_ v: Int32, into out: inout [UInt8], at: Int) {
        let u = UInt32(bitPattern: v)
        out[at] = UInt8(u >> 24); out[at + 1] = UInt8(u >> 16 & 0xFF); out[at + 2] = UInt8(u >> 8 & 0xFF); out[at + 3] = UInt8(u & 0xFF)
    }

    /// Calls `body` with each record's sysflag and bytes; stops at anything malformed.
    static func forEachRecord(_ bytes: [UInt8], _ body: (Int32, ArraySlice<UInt8>) -> Void) {
        var offset = 0
        let header = StoredRecordLayout.sysFlagPosition + 4
        while offset + header <= bytes.count {
            let slice = bytes[offset...]
            let size = Int(int32(slice, StoredRecordLayout.totalSizePosition))
            guard size >= header, offset + size <= bytes.count else { return }
            body(int32(slice, StoredRecordLayout.sysFlagPosition), bytes[offset..<offset + size])
            offset += size
        }
    }

    /// The record with its body transformed, TOTALSIZE, BODYCRC and SYSFLAG updated; nil on failure.
    static func replacingBody(of record: ArraySlice<UInt8>, transform: ([UInt8]) throws -> [UInt8], newSysFlag: Int32) -> [UInt8]? {
        let sysFlag = int32(record, StoredRecordLayout.sysFlagPosition)
        let bodyLengthAt = StoredRecordLayout.bodyLengthPosition(sysFlag: sysFlag)
        guard record.count >= bodyLengthAt + 4 else { return nil }
        let bodyLength = Int(int32(record, bodyLengthAt))
        let bodyStart = record.startIndex + bodyLengthAt + 4
        guard bodyLength >= 0, bodyStart + bodyLength <= record.endIndex,
              let newBody = try? transform(Array(record[bodyStart..<bodyStart + bodyLength]))
        else { return nil }
        var out = Array(record[record.startIndex..<bodyStart])
        out.append(contentsOf: newBody)
        out.append(contentsOf: record[(bodyStart + bodyLength)...])
        put32(Int32(out.count), into: &out, at: StoredRecordLayout.totalSizePosition)
        put32(CRC32.bodyCRC(newBody), into: &out, at: StoredRecordLayout.bodyCRCPosition)
        put32(newSysFlag, into: &out, at: StoredRecordLayout.sysFlagPosition)
        put32(Int32(newBody.count), into: &out, at: bodyLengthAt)
        return out
    }
}
