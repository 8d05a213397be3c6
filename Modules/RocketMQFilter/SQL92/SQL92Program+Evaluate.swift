//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Evaluation of a ``SQL92Program``: the same rules as the tree evaluator, instruction by instruction.
extension SQL92Program {
    /// Evaluates the program against a closure lookup; `nil` is unknown. Throws where Java would throw.
    func evaluate(_ lookup: (String) -> String?) throws(SQL92EvaluationError) -> SQL92Value? {
        let result: Result<SQL92Value?, SQL92EvaluationError> = withoutActuallyEscaping(lookup) { lookup in
            do throws(SQL92EvaluationError) {
                return .success(try self.evaluate(source: ClosurePropertySource(lookup: lookup)))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Evaluates the program against any property source, specialised per source type (the broker's
    /// dictionary path has no closure call and touches no reference count but the dictionary's own).
    @inline(__always)
    func evaluate<Source: SQL92PropertySource>(source: borrowing Source) throws(SQL92EvaluationError) -> SQL92Value? {
        try Self.run(self.storage.root, self.storage.frame, source)
    }

    static func run<S: SQL92PropertySource>(_ index: Int32, _ f: Frame, _ source: borrowing S) throws(SQL92EvaluationError)
        -> SQL92Value?
    {
        let i = f.code[Int(index)]
        switch i.opcode {
        case .constant:
            return i.a < 0 ? nil : f.constants[Int(i.a)]

        case .property:
            guard let text = source.property(f.names[Int(i.a)]) else { return nil }
            return .string(text)

        case .booleanCast:
            return source.property(f.names[Int(i.a)]) == nil ? nil : .bool(false)

        case .negate:
            switch try run(i.a, f, source) {
            case .int(let v)?: return .int(0 &- v)
            case .long(let v)?: return .long(0 &- v)
            case .double(let v)?: return .double(-v)
            default: return nil
            }

        case .not:
            guard let value = try condition(i.a, f, source) else { return nil }
            return .bool(!value)

        case .and:
            var unknown = false
            for k in Int(i.a)..<Int(i.a + i.b) {
                switch try condition(f.operands[k], f, source) {
                case false?: return .bool(false)
                case nil: unknown = true
                case true?: break
                }
            }
            return unknown ? nil : .bool(true)

        case .or:
            var unknown = false
            for k in Int(i.a)..<Int(i.a + i.b) {
                switch try condition(f.operands[k], f, source) {
                case true?: return .bool(true)
                case nil: unknown = true
                case false?: break
                }
            }
            return unknown ? nil : .bool(false)

        case .equal:
            let l = try run(i.a, f, source)
            let r = try run(i.b, f, source)
            switch (l, r) {
            case (nil, nil): return .bool(true)
            case (nil, _): return nil
            case (_, nil): return .bool(false)
            case (let x?, let y?): return .bool(try SQL92Value.javaEquals(x, y))
            }

        case .equalProperty:
            // property = non-NULL literal: a missing property is unknown.
            guard let text = source.property(f.names[Int(i.a)]) else { return nil }
            switch f.constants[Int(i.b)] {
            case .string(let literal): return .bool(exactlyEqual(text, literal))
            case .int(let literal):
                guard let value = JavaNumbers.parseInt(text) else { throw SQL92EvaluationError() }
                return .bool(value == literal)
            case let literal: return .bool(try SQL92Value.javaEquals(.string(text), literal))
            }

        case .isNull:
            return .bool(try run(i.a, f, source) == nil)

        case .compare:
            guard let l = try run(i.a, f, source) else { return nil }
            guard let r = try run(i.b, f, source) else { return nil }
            return .bool(comparison(i.flag).holds(try SQL92Value.orderingCompare(l, r)))

        case .compareProperty:
            guard let text = source.property(f.names[Int(i.a)]) else { return nil }
            return .bool(comparison(i.flag).holds(try Self.compare(text, f.constants[Int(i.b)])))

        case .between:
            guard let v = try run(i.a, f, source) else { return nil }
            let negated = i.flag != 0
            let first = try betweenHalf(v, try run(i.b, f, source), upper: false, negated: negated)
            if first == negated { return .bool(negated) }  // AND stops at FALSE, OR at TRUE
            let second = try betweenHalf(v, try run(i.c, f, source), upper: true, negated: negated)
            return betweenResult(first, second, negated: negated)

        case .betweenProperty:
            guard let text = source.property(f.names[Int(i.a)]) else { return nil }
            let negated = i.flag != 0
            let low = try Self.compare(text, f.constants[Int(i.b)])
            let first = negated ? low < 0 : low >= 0
            if first == negated { return .bool(negated) }
            let high = try Self.compare(text, f.constants[Int(i.c)])
            let second = negated ? high > 0 : high <= 0
            return betweenResult(first, second, negated: negated)

        case .inList:
            guard let text = source.property(f.names[Int(i.a)]) else { return nil }
            return .bool(f.lists[Int(i.b)].contains(text) != (i.flag != 0))

        case .stringMatch:
            let search = f.strings[Int(i.b)]
            if search.isEmpty { return .bool(false) }
            guard case .string(let text)? = try run(i.a, f, source) else { return .bool(false) }
            let found: Bool
            switch i.flag & 0x0F {
            case 0: found = UTF8Search.contains(text, search)
            case 1: found = UTF8Search.hasPrefix(text, search)
            default: found = UTF8Search.hasSuffix(text, search)
            }
            return .bool(found != (i.flag & 0x10 != 0))
        }
    }

    /// `orderingCompare(.string(text), literal)` with the integer case inlined (the common `a > 5`).
    @inline(__always)
    private static func compare(_ text: String, _ literal: SQL92Value) throws(SQL92EvaluationError) -> Int {
        if case .int(let l) = literal {
            guard let value = JavaNumbers.parseInt(text) else { throw SQL92EvaluationError() }
            return value < l ? -1 : (value == l ? 0 : 1)
        }
        return try SQL92Value.orderingCompare(.string(text), literal)
    }

    /// One half of BETWEEN (`v >= low` / `v <= high`) or NOT BETWEEN (`v < low` / `v > high`); `nil` if the
    /// bound is NULL.
    @inline(__always)
    private static func betweenHalf(_ v: SQL92Value, _ bound: SQL92Value?, upper: Bool, negated: Bool)
        throws(SQL92EvaluationError) -> Bool?
    {
        guard let bound else { return nil }
        let sign = try SQL92Value.orderingCompare(v, bound)
        switch (upper, negated) {
        case (false, false): return sign >= 0
        case (true, false): return sign <= 0
        case (false, true): return sign < 0
        case (true, true): return sign > 0
        }
    }

    /// Combines the halves: AND for BETWEEN, OR for NOT BETWEEN, with three-valued logic.
    @inline(__always)
    private static func betweenResult(_ first: Bool?, _ second: Bool?, negated: Bool) -> SQL92Value? {
        if second == negated { return .bool(negated) }
        return first == nil || second == nil ? nil : .bool(!negated)
    }

    @inline(__always)
    static func condition<S: SQL92PropertySource>(_ index: Int32, _ f: Frame, _ source: borrowing S)
        throws(SQL92EvaluationError) -> Bool?
    {
        switch try run(index, f, source) {
        case nil: return nil
        case .bool(let b)?: return b
        default: throw SQL92EvaluationError()
        }
    }
}

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
