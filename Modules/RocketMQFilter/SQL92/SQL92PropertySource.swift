//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Where a selector reads message properties from. Evaluation is specialised per conforming type.
protocol SQL92PropertySource {
    func property(_ name: String) -> String?
}

/// The broker's case: a decoded property map (passed borrowed, never copied, during evaluation).
extension Dictionary: SQL92PropertySource where Key == String, Value == String {
    @inline(__always)
    func property(_ name: String) -> String? { self[name] }
}

/// Any lookup function (escapable only for the duration of one evaluation).
struct ClosurePropertySource: SQL92PropertySource {
    let lookup: (String) -> String?

    @inline(__always)
    func property(_ name: String) -> String? { self.lookup(name) }
}
