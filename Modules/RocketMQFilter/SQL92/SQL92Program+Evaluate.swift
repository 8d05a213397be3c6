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

    /// Whether the selector is TRUE for `source` (evaluation errors and unknown are `false`).
    @inline(__always)
    func matches<Source: SQL92PropertySource>(source: borrowing Source) -> Bool {
        do {
            return try Self.test(self.storage.root, self.storage.frame, source) == true
        } catch {
            return false
        }
    }

    /// Evaluates a value-producing node; condition nodes are delegated to ``test(_:_:_:)``.
    static func run<S: SQL92PropertySource>(_ index: Int32, _ f: borrowing Frame, _ source: borrowing S)
        throws(SQL92EvaluationError) -> SQL92Value?
    {
        let i = f.code[Int(index)]
        switch i.opcode {
        case .constant:
            return i.a < 0 ? nil : f.constants[Int(i.a)]
        case .property:
            guard let text = source.property(f.names[Int(i.a)]) else { return nil }
            return .string(text)
        case .negate:
            switch try run(i.a, f, source) {
            case .int(let v)?: return .int(0 &- v)
            case .long(let v)?: return .long(0 &- v)
            case .double(let v)?: return .double(-v)
            default: return nil
            }
        default:
            return try test(index, f, source).map(SQL92Value.bool)
        }
    }

    /// Evaluates a condition node straight to a three-valued `Bool?`, without materialising a value: the
    /// hot path of a selector is conditions (`AND` of fused `property <op> literal` tests).
    static func test<S: SQL92PropertySource>(_ index: Int32, _ f: borrowing Frame, _ source: borrowing S)
        throws(SQL92EvaluationError) -> Bool?
    {
        let i = f.code[Int(index)]
        switch i.opcode {
        case .constant, .property, .negate:
            // A value where a condition is needed: only Booleans (TRUE/FALSE/NULL literals) qualify.
            switch try run(index, f, source) {
            case nil: return nil
            case .bool(let b)?: return b
            default: throw SQL92EvaluationError()  // Java: ClassCastException
            }

        case .booleanCast:
            // Property values are strings, never Booleans: present means FALSE.
            return source.property(f.names[Int(i.a)]) == nil ? nil : false

        case .not:
            guard let value = try test(i.a, f, source) else { return nil }
            return !value

        case .and:
            var unknown = false
            for k in Int(i.a)..<Int(i.a + i.b) {
                switch try test(f.operands[k], f, source) {
                case false?: return false
                case nil: unknown = true
                case true?: break
                }
            }
            return unknown ? nil : true

        case .or:
            var unknown = false
            for k in Int(i.a)..<Int(i.a + i.b) {
                switch try test(f.operands[k], f, source) {
                case true?: return true
                case nil: unknown = true
                case false?: break
                }
            }
            return unknown ? nil : false

        case .equal:
            let l = try run(i.a, f, source)
            let r = try run(i.b, f, source)
            switch (l, r) {
            case (nil, nil): return true
            case (nil, _): return nil
            case (_, nil): return false
            case (let x?, let y?): return try SQL92Value.javaEquals(x, y)
            }

        case .equalProperty:
            // property = non-NULL literal: a missing property is unknown.
            guard let text = source.property(f.names[Int(i.a)]) else { return nil }
            switch f.constants[Int(i.b)] {
            case .string(let literal): return exactlyEqual(text, literal)
            case .int(let literal):
                guard let value = JavaNumbers.parseInt(text) else { throw SQL92EvaluationError() }
                return value == literal
            case let literal: return try SQL92Value.javaEquals(.string(text), literal)
            }

        case .isNull:
            return try run(i.a, f, source) == nil

        case .compare:
            guard let l = try run(i.a, f, source) else { return nil }
            guard let r = try run(i.b, f, source) else { return nil }
            return comparison(i.flag).holds(try SQL92Value.orderingCompare(l, r))

        case .compareProperty:
            guard let text = source.property(f.names[Int(i.a)]) else { return nil }
            return comparison(i.flag).holds(try Self.compare(text, f.constants[Int(i.b)]))

        case .between:
            guard let v = try run(i.a, f, source) else { return nil }
            let negated = i.flag != 0
            let first = try betweenHalf(v, try run(i.b, f, source), upper: false, negated: negated)
            if first == negated { return negated }  // AND stops at FALSE, OR at TRUE
            let second = try betweenHalf(v, try run(i.c, f, source), upper: true, negated: negated)
            return betweenResult(first, second, negated: negated)

        case .betweenProperty:
            guard let text = source.property(f.names[Int(i.a)]) else { return nil }
            let negated = i.flag != 0
            let low = try Self.compare(text, f.constants[Int(i.b)])
            let first = negated ? low < 0 : low >= 0
            if first == negated { return negated }
            let high = try Self.compare(text, f.constants[Int(i.c)])
            let second = negated ? high > 0 : high <= 0
            return betweenResult(first, second, negated: negated)

        case .inList:
            guard let text = source.property(f.names[Int(i.a)]) else { return nil }
            return f.lists[Int(i.b)].contains(text) != (i.flag != 0)

        case .stringMatch:
            let search = f.strings[Int(i.b)]
            if search.isEmpty { return false }
            guard case .string(let text)? = try run(i.a, f, source) else { return false }
            let found: Bool
            switch i.flag & 0x0F {
            case 0: found = UTF8Search.contains(text, search)
            case 1: found = UTF8Search.hasPrefix(text, search)
            default: found = UTF8Search.hasSuffix(text, search)
            }
            return found != (i.flag & 0x10 != 0)
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
    private static func betweenResult(_ first: Bool?, _ second: Bool?, negated: Bool) -> Bool? {
        if second == negated { return negated }
        return first == nil || second == nil ? nil : !negated
    }

}
