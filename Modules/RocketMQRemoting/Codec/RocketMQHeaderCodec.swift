//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon

/// The ROCKETMQ binary header codec (serialize type 1, PROTOCOL.md §2.2).
///
/// Zero-length strings decode as absent, as in Java (so an empty ext value does not survive this codec).
/// Both directions work on raw bytes in one pass: the encoder sizes the header exactly and writes it
/// with a single capacity check; the decoder reads through one pointer and keeps the ext fields as
/// offsets into a copy of their bytes (see `ExtFields`), so no string is made until a field is read.
public enum RocketMQHeaderCodec {
    public static func encode(_ command: RemotingCommand, into buffer: inout ByteBuffer) {
        let s = command.storage
        var remark = s.remark ?? ""
        let fields = s.extFields
        let (fieldBytes, fieldCount) = fields.utf8Size
        let extLength = fieldBytes &+ 6 &* fieldCount
        let remarkLength = remark.utf8.count
        let size = 21 + remarkLength + extLength
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { raw -> Int in
            let base = raw.baseAddress!
            base.storeBytes(of: Int16(truncatingIfNeeded: s.code).bigEndian, toByteOffset: 0, as: Int16.self)
            base.storeBytes(of: s.language.rawValue, toByteOffset: 2, as: UInt8.self)
            base.storeBytes(of: Int16(truncatingIfNeeded: s.version).bigEndian, toByteOffset: 3, as: Int16.self)
            base.storeBytes(of: s.opaque.bigEndian, toByteOffset: 5, as: Int32.self)
            base.storeBytes(of: s.flag.bigEndian, toByteOffset: 9, as: Int32.self)
            base.storeBytes(of: Int32(remarkLength).bigEndian, toByteOffset: 13, as: Int32.self)
            var offset = 17
            if remarkLength > 0 { offset = copyUTF8(&remark, to: base, at: offset) }
            base.storeBytes(of: Int32(extLength).bigEndian, toByteOffset: offset, as: Int32.self)
            offset += 4
            fields.forEachUTF8 { key, value in
                base.storeBytes(of: Int16(truncatingIfNeeded: key.count).bigEndian, toByteOffset: offset, as: Int16.self)
                if let k = key.baseAddress { (base + offset + 2).copyMemory(from: k, byteCount: key.count) }
                offset += 2 + key.count
                base.storeBytes(of: Int32(value.count).bigEndian, toByteOffset: offset, as: Int32.self)
                if let v = value.baseAddress { (base + offset + 4).copyMemory(from: v, byteCount: value.count) }
                offset += 4 + value.count
            }
            return offset
        }
    }

    @inline(__always)
    private static func copyUTF8(_ string: inout String, to base: UnsafeMutableRawPointer, at offset: Int) -> Int {
        string.withUTF8 { utf8 in
            if let p = utf8.baseAddress { (base + offset).copyMemory(from: p, byteCount: utf8.count) }
            return offset + utf8.count
        }
    }

    public static func decode(_ header: inout ByteBuffer, body: ByteBuffer?) throws(RemotingDecodingError) -> RemotingCommand {
        try header.withUnsafeReadableBytes { (raw) throws(RemotingDecodingError) -> RemotingCommand in
            try decode(raw, body: body)
        }
    }

    static func decode(_ raw: UnsafeRawBufferPointer, body: ByteBuffer?) throws(RemotingDecodingError) -> RemotingCommand {
        let count = raw.count
        guard count >= 17 else { throw .invalidHeader("binary header shorter than 17 bytes") }
        @inline(__always) func int16(_ o: Int) -> Int16 { Int16(bigEndian: raw.loadUnaligned(fromByteOffset: o, as: Int16.self)) }
        @inline(__always) func int32(_ o: Int) -> Int32 { Int32(bigEndian: raw.loadUnaligned(fromByteOffset: o, as: Int32.self)) }
        @inline(__always) func string(_ o: Int, _ n: Int) -> String {
            String(decoding: UnsafeRawBufferPointer(rebasing: raw[o..<(o + n)]), as: UTF8.self)
        }
        let code = int16(0), language = raw[2], version = int16(3), opaque = int32(5), flag = int32(9)
        let remarkLength = Int(int32(13))
        guard remarkLength >= 0, remarkLength <= count - 17 else {
            throw .invalidHeader("remark length \(remarkLength) beyond the header")
        }
        let remark: String? = remarkLength > 0 ? string(17, remarkLength) : nil
        let extStart = 17 + remarkLength + 4
        guard extStart <= count else { throw .invalidHeader("ext fields length beyond the header") }
        let extLength = Int(int32(extStart - 4))
        guard extLength >= 0, extLength <= count - extStart else {
            throw .invalidHeader("ext fields length beyond the header")
        }
        let extEnd = extStart + extLength
        // First pass: validate the entries and count them, so the table is allocated once.
        var entries = 0
        var o = extStart
        while o < extEnd {
            guard extEnd - o >= 2 else { throw .invalidHeader("truncated ext field entry") }
            let keyLength = Int(int16(o))
            guard keyLength >= 0, extEnd - o - 2 >= keyLength + 4 else { throw .invalidHeader("truncated ext field entry") }
            o += 2 + keyLength
            let valueLength = Int(int32(o))
            guard valueLength >= 0, extEnd - o - 4 >= valueLength else { throw .invalidHeader("truncated ext field entry") }
            o += 4 + valueLength
            entries += 1
        }
        // The table copies the header bytes (keys and values are offsets into them), so it does not
        // keep the inbound buffer alive.
        let fields = entries == 0 ? ExtFields() : withUnsafeTemporaryAllocation(of: Int32.self, capacity: entries * 4) {
            spans -> ExtFields in
            var table = RawExtFieldsBuilder(spans: spans)
            var o = extStart
            while o < extEnd {
                let keyLength = Int(int16(o))
                let keyStart = o + 2
                let valueLength = Int(int32(keyStart + keyLength))
                let valueStart = keyStart + keyLength + 4
                o = valueStart + valueLength
                guard keyLength > 0 && valueLength > 0 else { continue }
                table.add(key: keyStart - extStart, keyLength: keyLength, value: valueStart - extStart,
                          valueLength: valueLength, in: UnsafeRawBufferPointer(rebasing: raw[extStart..<extEnd]))
            }
            return table.build(UnsafeRawBufferPointer(rebasing: raw[extStart..<extEnd]))
        }
        return RemotingCommand(code: Int32(code), language: LanguageCode(rawValue: language), version: Int32(version),
                               opaque: opaque, flag: flag, remark: remark, extFields: fields, body: body,
                               serializeType: .rocketmq)
    }
}
