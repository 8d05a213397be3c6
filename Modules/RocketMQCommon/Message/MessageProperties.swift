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
        var copy = string
        return copy.withUTF8 { decode(buffer: $0) }
    }

    /// One property's value from an encoded properties string, without decoding the rest.
    public static func value(of name: String, in string: String) -> String? {
        var copy = string
        return copy.withUTF8 { value(of: name, inUTF8: $0) }
    }

    /// Decodes properties from UTF-8 bytes (as stored in the commit log).
    public static func decode<C: Collection>(utf8 bytes: C) -> [String: String] where C.Element == UInt8 {
        if let result = bytes.withContiguousStorageIfAvailable({ decode(buffer: $0) }) { return result }
        return Array(bytes).withUnsafeBufferPointer { decode(buffer: $0) }
    }

    /// One pass over contiguous bytes: each name and value becomes a `String` straight from its slice.
    static func decode(buffer: UnsafeBufferPointer<UInt8>) -> [String: String] {
        var result = [String: String](minimumCapacity: 8)
        var start = 0
        var separator = -1
        var i = 0
        let n = buffer.count
        while i <= n {
            let byte: UInt8 = i < n ? buffer[i] : 2
            if byte == 2 {
                if separator > start && i > separator + 1 {
                    let name = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<separator]), as: UTF8.self)
                    let value = String(decoding: UnsafeBufferPointer(rebasing: buffer[(separator + 1)..<i]), as: UTF8.self)
                    result[name] = value
                }
                start = i + 1
                separator = -1
            } else if byte == 1 && separator < 0 {
                separator = i
            }
            i += 1
        }
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
