//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// The properties string codec (Java `MessageDecoder.string2messageProperties` / `messageProperties2String`).
///
/// Wire form: `name\u{1}value\u{2}` repeated; Java drops the final \u{2}, C++ keeps it. Empty names or
/// values are dropped on decode, as Java does.
public enum MessageProperties {
    /// Decodes a properties string. Order of the result carries no meaning.
    public static func decode(_ string: String) -> [String: String] {
        decode(utf8: Array(string.utf8))
    }

    /// Decodes properties from UTF-8 bytes (as stored in the commit log).
    public static func decode<C: Collection>(utf8 bytes: C) -> [String: String] where C.Element == UInt8 {
        var result: [String: String] = [:]
        var name: [UInt8] = []
        var value: [UInt8] = []
        var inValue = false
        func flush() {
            if !name.isEmpty && !value.isEmpty {
                result[String(decoding: name, as: UTF8.self)] = String(decoding: value, as: UTF8.self)
            }
            name.removeAll(keepingCapacity: true)
            value.removeAll(keepingCapacity: true)
            inValue = false
        }
        for byte in bytes {
            switch byte {
            case 2:
                flush()
            case 1 where !inValue:
                inValue = true
            default:
                if inValue { value.append(byte) } else { name.append(byte) }
            }
        }
        flush()
        return result
    }

    /// Encodes properties in Java's form (no trailing separator). Keys are sorted so output is stable.
    public static func encode(_ properties: [String: String]) -> String {
        var out = ""
        out.reserveCapacity(properties.count * 16)
        var first = true
        for key in properties.keys.sorted() {
            guard let value = properties[key] else { continue }
            if !first { out.append(MessageConst.propertySeparator) }
            first = false
            out += key
            out.append(MessageConst.nameValueSeparator)
            out += value
        }
        return out
    }

    /// Finds one property's value in an encoded properties byte sequence without decoding the rest.
    public static func value<C: BidirectionalCollection>(of name: String, inUTF8 bytes: C) -> String?
    where C.Element == UInt8 {
        let key = Array(name.utf8)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            // [index, sep1) is a name; (sep1, sep2) the value.
            var cursor = index
            var sep1: C.Index? = nil
            while cursor != bytes.endIndex && bytes[cursor] != 2 {
                if sep1 == nil && bytes[cursor] == 1 { sep1 = cursor }
                cursor = bytes.index(after: cursor)
            }
            if let s1 = sep1, bytes[index..<s1].elementsEqual(key) {
                let valueStart = bytes.index(after: s1)
                let v = String(decoding: bytes[valueStart..<cursor], as: UTF8.self)
                return v.isEmpty ? nil : v
            }
            index = cursor == bytes.endIndex ? cursor : bytes.index(after: cursor)
        }
        return nil
    }
}
