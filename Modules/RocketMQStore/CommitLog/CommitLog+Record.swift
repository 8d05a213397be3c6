//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// Validation and parsing of stored records (Java `CommitLog.checkMessageAndReturnSize`).
extension CommitLog {
    enum RecordCheck {
        /// A valid record.
        case message(DispatchRequest)
        /// A valid record, checked without building a request (`buildRequest: false`).
        case valid(size: Int32, commitLogOffset: Int64)
        /// End-of-file marker: continue at the next file.
        case blank
        /// Zero bytes: the end of written data (a pre-allocated, never written tail).
        case end
        /// Not a valid record: a torn write or garbage; the valid data ends before it.
        case corrupt(String)
    }

    static let scheduleTopic = "SCHEDULE_TOPIC_XXXX"

    /// Checks the record at `base` with `available` bytes up to the file end.
    ///
    /// Every length is bounds-checked against TOTALSIZE and the recomputed record length, so any
    /// content (from disk after a crash) is safe to feed in.
    static func checkRecord(
        at base: UnsafeRawPointer, available: Int, checkCRC: Bool, readProperties: Bool = true,
        delayLevels: [Int64] = [], buildRequest: Bool = true
    ) -> RecordCheck {
        guard available >= 8 else { return .end }
        typealias Layout = StoredRecordLayout
        let totalSize = Int(base.loadInt32BE(at: Layout.totalSizePosition))
        let magic = base.loadInt32BE(at: Layout.magicCodePosition)
        if magic == MessageDecoder.blankMagicCode { return .blank }
        if magic != MessageDecoder.messageMagicCode {
            return totalSize == 0 && magic == 0 ? .end : .corrupt("bad magic code")
        }
        guard totalSize >= Layout.minimumLength, totalSize <= available else {
            return .corrupt("total size \(totalSize) out of range")
        }
        let bodyCRC = base.loadInt32BE(at: Layout.bodyCRCPosition)
        let queueID = base.loadInt32BE(at: Layout.queueIDPosition)
        let queueOffset = base.loadInt64BE(at: Layout.queueOffsetPosition)
        let physicalOffset = base.loadInt64BE(at: Layout.physicalOffsetPosition)
        let sysFlag = base.loadInt32BE(at: Layout.sysFlagPosition)
        let bornTimestamp = base.loadInt64BE(at: Layout.bornTimestampPosition)
        let bodyStart = Layout.bodyPosition(sysFlag: sysFlag)
        guard bodyStart <= totalSize else { return .corrupt("header exceeds record") }
        let storeTimestamp = base.loadInt64BE(at: Layout.storeTimestampPosition(sysFlag: sysFlag))
        let preparedTransactionOffset = base.loadInt64BE(at: Layout.preparedTransactionOffsetPosition(sysFlag: sysFlag))
        let bodyLength = Int(base.loadInt32BE(at: Layout.bodyLengthPosition(sysFlag: sysFlag)))
        guard bodyLength >= 0, bodyStart + bodyLength + 1 <= totalSize else { return .corrupt("body exceeds record") }
        var cursor = bodyStart + bodyLength
        let topicLength = Int(base.load(fromByteOffset: cursor, as: UInt8.self))
        cursor += 1
        guard cursor + topicLength + 2 <= totalSize else { return .corrupt("topic exceeds record") }
        let topicStart = cursor
        cursor += topicLength
        let propertiesLength = Int(base.loadInt16BE(at: cursor))
        cursor += 2
        guard propertiesLength >= 0 else { return .corrupt("negative properties length") }
        let expected = Layout.recordLength(
            sysFlag: sysFlag, bodyLength: bodyLength, topicLength: topicLength, propertiesLength: propertiesLength)
        guard expected == totalSize, cursor + propertiesLength == totalSize else {
            return .corrupt("total size \(totalSize) != computed \(expected)")
        }
        if checkCRC {
            let crc = CRC32.bodyCRC(UnsafeRawBufferPointer(start: base + bodyStart, count: bodyLength))
            guard crc == bodyCRC else { return .corrupt("body CRC mismatch") }
            // The CRC covers the body only: a torn page over the topic or the properties shows as bytes no
            // producer could have sent.
            guard Self.isWellFormedTopic(UnsafeRawBufferPointer(start: base + topicStart, count: topicLength)) else {
                return .corrupt("topic is not a valid topic name")
            }
            guard Self.areWellFormedProperties(UnsafeRawBufferPointer(start: base + cursor, count: propertiesLength))
            else { return .corrupt("properties are not well formed") }
        }
        if !buildRequest { return .valid(size: Int32(totalSize), commitLogOffset: physicalOffset) }
        let topic = String(
            decoding: UnsafeRawBufferPointer(start: base + topicStart, count: topicLength), as: UTF8.self)
        var properties: [String: String] = [:]
        if readProperties && propertiesLength > 0 {
            properties = MessageProperties.decode(
                utf8: UnsafeRawBufferPointer(start: base + cursor, count: propertiesLength))
        }
        var tagsCode: Int64 = 0
        if let tags = properties[MessageConst.tags], !tags.isEmpty {
            tagsCode = Int64(JavaHash.hashCode(tags))
        }
        if topic == Self.scheduleTopic, let level = properties[MessageConst.delayTimeLevel].flatMap({ Int($0) }),
            level > 0, !delayLevels.isEmpty
        {
            tagsCode = storeTimestamp + delayLevels[min(level, delayLevels.count) - 1]
        }
        return .message(
            DispatchRequest(
                topic: topic, queueID: queueID, commitLogOffset: physicalOffset, msgSize: Int32(totalSize),
                tagsCode: tagsCode, storeTimestamp: storeTimestamp, consumeQueueOffset: queueOffset,
                keys: properties[MessageConst.keys] ?? "",
                uniqKey: properties[MessageConst.uniqueClientMessageIDKeyIndex], sysFlag: sysFlag,
                preparedTransactionOffset: preparedTransactionOffset, bornTimestamp: bornTimestamp,
                properties: properties))
    }

    /// A name `TopicValidator` accepts (its charset, 1 to 127 bytes).
    static func isWellFormedTopic(_ bytes: UnsafeRawBufferPointer) -> Bool {
        !bytes.isEmpty && bytes.count <= TopicValidator.topicMaxLength && bytes.allSatisfy(TopicValidator.isTopicCharacter)
    }

    /// `name\u{1}value` pairs separated by `\u{2}` (a trailing separator allowed, as older clients send),
    /// valid UTF-8, no NUL bytes.
    static func areWellFormedProperties(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !bytes.isEmpty else { return true }
        var nameLength = 0
        var sawValueSeparator = false
        for byte in bytes {
            switch byte {
            case 0: return false
            case 1:
                guard !sawValueSeparator, nameLength > 0 else { return false }
                sawValueSeparator = true
            case 2:
                guard sawValueSeparator else { return false }
                nameLength = 0
                sawValueSeparator = false
            default:
                if !sawValueSeparator { nameLength += 1 }
            }
        }
        guard sawValueSeparator || nameLength == 0 else { return false }
        return String(validating: bytes, as: UTF8.self) != nil
    }
}
