//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// A `String` compared and hashed by its exact scalars, as Java's `String.equals` does.
///
/// Swift's `String ==` uses canonical equivalence (`"é" == "e\u{301}"`), Java's does not. Tags and SQL92
/// `IN` lists must match a Java broker bit for bit, so sets of them are keyed by this wrapper. Wrapping costs
/// nothing at runtime; hashing and comparing walk the UTF-8 bytes.
struct ExactString: Hashable, Sendable {
    var value: String

    init(_ value: String) { self.value = value }

    static func == (lhs: ExactString, rhs: ExactString) -> Bool {
        exactlyEqual(lhs.value, rhs.value)
    }

    func hash(into hasher: inout Hasher) {
        var copy = self.value
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// Java `String.equals`: same scalars in the same order (same UTF-8 bytes).
@inline(__always)
func exactlyEqual(_ a: String, _ b: String) -> Bool {
    var a = a
    var b = b
    return a.withUTF8 { x in b.withUTF8 { y in x.count == y.count && x.elementsEqual(y) } }
}
