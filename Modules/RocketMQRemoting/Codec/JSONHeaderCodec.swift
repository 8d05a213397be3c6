//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon

/// The JSON header codec (serialize type 0), written and read without building a JSON tree.
///
/// Writes keys in fastjson's alphabetical order with ext values always as strings; reads leniently:
/// ext values may be strings, numbers or booleans, `remark`/`extFields` may be absent or null,
/// `language` may be a name or an ordinal, unknown keys and trailing whitespace are ignored.
public enum JSONHeaderCodec {
    public static func encode(_ command: RemotingCommand, into buffer: inout ByteBuffer) {
        let s = command.storage
        buffer.writeStaticString("{\"code\":")
        buffer.writeDecimal(Int64(s.code))
        if !s.extFields.isEmpty {
            buffer.writeStaticString(",\"extFields\":{")
            var first = true
            for key in s.extFields.keys.sorted() {
                if !first { buffer.writeInteger(UInt8(ascii: ",")) }
                first = false
                buffer.writeJSONString(key)
                buffer.writeInteger(UInt8(ascii: ":"))
                buffer.writeJSONString(s.extFields[key] ?? "")
            }
            buffer.writeInteger(UInt8(ascii: "}"))
        }
        buffer.writeStaticString(",\"flag\":")
        buffer.writeDecimal(Int64(s.flag))
        buffer.writeStaticString(",\"language\":\"")
        buffer.writeString(s.language.name)
        buffer.writeStaticString("\",\"opaque\":")
        buffer.writeDecimal(Int64(s.opaque))
        if let remark = s.remark {
            buffer.writeStaticString(",\"remark\":")
            buffer.writeJSONString(remark)
        }
        buffer.writeStaticString(",\"serializeTypeCurrentRPC\":\"JSON\",\"version\":")
        buffer.writeDecimal(Int64(s.version))
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer, body: ByteBuffer?) throws(RemotingDecodingError) -> RemotingCommand {
        let typed = bytes.bindMemory(to: UInt8.self)
        var p = JSONParser(bytes: typed)
        var command = RemotingCommand(code: 0, version: 0, body: body)
        let s = command.storage
        do {
            p.skipWhitespace()
            guard p.index < typed.count, typed[p.index] == UInt8(ascii: "{") else {
                throw RemotingDecodingError.invalidHeader("expected a JSON object")
            }
            p.index += 1
            p.skipWhitespace()
            if p.index < typed.count, typed[p.index] == UInt8(ascii: "}") {
                p.index += 1
            } else {
                while true {
                    p.skipWhitespace()
                    guard p.index < typed.count, typed[p.index] == UInt8(ascii: "\"") else {
                        throw RemotingDecodingError.invalidHeader("expected a key at byte \(p.index)")
                    }
                    let key = try p.parseString()
                    p.skipWhitespace()
                    guard p.index < typed.count, typed[p.index] == UInt8(ascii: ":") else {
                        throw RemotingDecodingError.invalidHeader("expected ':' at byte \(p.index)")
                    }
                    p.index += 1
                    p.skipWhitespace()
                    switch key {
                    case "code": s.code = try int32(&p, key)
                    case "flag": s.flag = try int32(&p, key)
                    case "opaque": s.opaque = try int32(&p, key)
                    case "version": s.version = try int32(&p, key)
                    case "language":
                        let v = try p.parseValue(depth: 1)
                        if case .string(let name) = v { s.language = LanguageCode(name: name) ?? .other }
                        else if let n = v.intValue, n >= 0, n < 256 { s.language = LanguageCode(rawValue: UInt8(n)) }
                    case "remark":
                        let v = try p.parseValue(depth: 1)
                        s.remark = v.isNull ? nil : v.stringValue
                    case "extFields":
                        let v = try p.parseValue(depth: 1)
                        if case .object(let members) = v {
                            var fields = [String: String](minimumCapacity: members.count)
                            for (k, value) in members {
                                if let str = value.stringValue { fields[k] = str }
                            }
                            s.extFields = fields
                        } else if !v.isNull {
                            throw RemotingDecodingError.invalidHeader("extFields is not an object")
                        }
                    default:
                        _ = try p.parseValue(depth: 1)
                    }
                    p.skipWhitespace()
                    guard p.index < typed.count else { throw RemotingDecodingError.invalidHeader("unterminated object") }
                    if typed[p.index] == UInt8(ascii: ",") { p.index += 1; continue }
                    if typed[p.index] == UInt8(ascii: "}") { p.index += 1; break }
                    throw RemotingDecodingError.invalidHeader("expected ',' or '}' at byte \(p.index)")
                }
            }
            p.skipWhitespace()
            if p.index != typed.count { throw RemotingDecodingError.invalidHeader("trailing bytes after the header") }
        } catch let e as RemotingDecodingError {
            throw e
        } catch {
            throw RemotingDecodingError.invalidHeader("\(error)")
        }
        command.serializeType = .json
        return command
    }

    static func int32(_ p: inout JSONParser, _ key: String) throws -> Int32 {
        let v = try p.parseValue(depth: 1)
        guard let n = v.int32Value else { throw RemotingDecodingError.invalidHeader("\(key) is not an int") }
        return n
    }
}

extension ByteBuffer {
    /// Writes a JSON string literal, escaping quotes, backslashes and every control character.
    @inlinable
    mutating func writeJSONString(_ string: String) {
        self.writeInteger(UInt8(ascii: "\""))
        var needsEscape = false
        for b in string.utf8 where b < 0x20 || b == 0x22 || b == 0x5C { needsEscape = true; break }
        if !needsEscape {
            self.writeString(string)
        } else {
            for b in string.utf8 {
                switch b {
                case 0x22: self.writeInteger(UInt16(0x5C22))
                case 0x5C: self.writeInteger(UInt16(0x5C5C))
                case 0x0A: self.writeInteger(UInt16(0x5C6E))
                case 0x0D: self.writeInteger(UInt16(0x5C72))
                case 0x09: self.writeInteger(UInt16(0x5C74))
                case 0..<0x20:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    self.writeBytes([0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
                default: self.writeInteger(b)
                }
            }
        }
        self.writeInteger(UInt8(ascii: "\""))
    }

    /// Writes a decimal integer without allocating a String.
    @inlinable
    mutating func writeDecimal(_ value: Int64) {
        if value == 0 { self.writeInteger(UInt8(ascii: "0")); return }
        var v = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 {
                d[19 - count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                count += 1
            }
            if value < 0 { self.writeInteger(UInt8(ascii: "-")) }
            self.writeBytes(UnsafeRawBufferPointer(rebasing: d[(20 - count)...]))
        }
    }
}
