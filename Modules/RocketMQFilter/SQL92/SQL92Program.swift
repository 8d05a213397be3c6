//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// A ``SQL92Expression`` flattened into arrays of plain values, for the broker's hot path.
///
/// Walking the indirect-enum tree costs a retain/release per node visited (Swift copies the boxed payloads
/// out), which dominated a profile of `mqbench filter`. Here nodes are fixed-size instructions that refer to
/// each other, to constants, names and lists by index, and evaluation walks them through unsafe buffer
/// pointers taken once per call: no reference counting and no allocation per evaluation.
///
/// Common shapes get fused instructions (`property <op> literal`, `property = literal`,
/// `property [NOT] BETWEEN literal AND literal`) that skip materialising the property as a value. Semantics
/// are those of the tree evaluator (``SQL92Expression/evaluate(_:)``), which stays as the reference; the
/// fuzz tests compare the two on every generated expression.
struct SQL92Program: Sendable {
    enum Opcode: UInt8, Sendable {
        case constant  // a: constant index, -1 for NULL
        case property  // a: name
        case booleanCast  // a: name
        case negate  // a: operand
        case not  // a: operand
        case and, or  // a: first index in `operands`, b: count
        case equal  // a, b: operands
        case isNull  // a: operand
        case compare  // flag: comparison; a, b: operands
        case between  // flag: 1 if negated; a: value, b: low, c: high
        case inList  // flag: 1 if negated; a: name, b: list
        case stringMatch  // flag: kind | negated << 4; a: operand, b: search string
        case compareProperty  // flag: comparison; a: name, b: constant
        case equalProperty  // a: name, b: constant
        case betweenProperty  // flag: 1 if negated; a: name, b: low constant, c: high constant
    }

    struct Instruction: Sendable {
        var opcode: Opcode
        var flag: UInt8 = 0
        var a: Int32 = 0
        var b: Int32 = 0
        var c: Int32 = 0
    }

    private(set) var code: [Instruction] = []
    private(set) var operands: [Int32] = []
    private(set) var constants: [SQL92Value] = []
    private(set) var names: [String] = []
    private(set) var strings: [String] = []
    private(set) var lists: [SQL92Expression.InSet] = []
    /// Index of the instruction the evaluation starts at.
    private(set) var root: Int32 = 0
    /// The same arrays, copied once into fixed memory that evaluation reads without reference counting.
    private(set) var storage: Storage

    init(_ expression: SQL92Expression) {
        self.storage = Storage.empty
        self.root = self.emit(expression)
        self.storage = Storage(self)
    }

    /// Raw views of a program's arrays; valid while the owning ``Storage`` is alive.
    struct Frame {
        let code: UnsafeBufferPointer<Instruction>
        let operands: UnsafeBufferPointer<Int32>
        let constants: UnsafeBufferPointer<SQL92Value>
        let names: UnsafeBufferPointer<String>
        let strings: UnsafeBufferPointer<String>
        let lists: UnsafeBufferPointer<SQL92Expression.InSet>
    }

    /// Owns the program's memory for its lifetime.
    ///
    /// `@unchecked Sendable`: the buffers are written once in `init` and only read afterwards (immutable), and
    /// freed in `deinit` when no ``SQL92Filter`` refers to them any more.
    final class Storage: @unchecked Sendable {
        let frame: Frame
        let root: Int32

        static let empty = Storage()

        private init() {
            self.frame = Frame(
                code: .init(start: nil, count: 0), operands: .init(start: nil, count: 0),
                constants: .init(start: nil, count: 0), names: .init(start: nil, count: 0),
                strings: .init(start: nil, count: 0), lists: .init(start: nil, count: 0))
            self.root = 0
        }

        init(_ program: SQL92Program) {
            self.frame = Frame(
                code: Self.copy(program.code), operands: Self.copy(program.operands),
                constants: Self.copy(program.constants), names: Self.copy(program.names),
                strings: Self.copy(program.strings), lists: Self.copy(program.lists))
            self.root = program.root
        }

        private static func copy<T>(_ array: [T]) -> UnsafeBufferPointer<T> {
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: array.count)
            _ = buffer.initialize(from: array)
            return UnsafeBufferPointer(buffer)
        }

        private static func free<T>(_ buffer: UnsafeBufferPointer<T>) {
            let mutable = UnsafeMutableBufferPointer(mutating: buffer)
            mutable.deinitialize()
            mutable.deallocate()
        }

        deinit {
            Self.free(self.frame.code)
            Self.free(self.frame.operands)
            Self.free(self.frame.constants)
            Self.free(self.frame.names)
            Self.free(self.frame.strings)
            Self.free(self.frame.lists)
        }
    }

    static func comparisonFlag(_ op: SQL92Expression.Comparison) -> UInt8 {
        switch op {
        case .greater: return 0
        case .greaterEqual: return 1
        case .less: return 2
        case .lessEqual: return 3
        }
    }

    static func comparison(_ flag: UInt8) -> SQL92Expression.Comparison {
        switch flag {
        case 0: return .greater
        case 1: return .greaterEqual
        case 2: return .less
        default: return .lessEqual
        }
    }

    // MARK: - Compilation

    private mutating func emit(_ expression: SQL92Expression) -> Int32 {
        switch expression {
        case .constant(let value):
            return self.append(Instruction(opcode: .constant, a: value.map { self.constant($0) } ?? -1))
        case .property(let name):
            return self.append(Instruction(opcode: .property, a: self.name(name)))
        case .booleanCast(let name):
            return self.append(Instruction(opcode: .booleanCast, a: self.name(name)))
        case .negate(let operand):
            let a = self.emit(operand)
            return self.append(Instruction(opcode: .negate, a: a))
        case .not(let operand):
            let a = self.emit(operand)
            return self.append(Instruction(opcode: .not, a: a))
        case .and(let list), .or(let list):
            let children = list.map { self.emit($0) }
            let start = Int32(self.operands.count)
            self.operands.append(contentsOf: children)
            let opcode: Opcode
            if case .and = expression { opcode = .and } else { opcode = .or }
            return self.append(Instruction(opcode: opcode, a: start, b: Int32(children.count)))
        case .equal(.property(let name), .constant(let value?)):
            return self.append(Instruction(opcode: .equalProperty, a: self.name(name), b: self.constant(value)))
        case .equal(let left, let right):
            let a = self.emit(left)
            let b = self.emit(right)
            return self.append(Instruction(opcode: .equal, a: a, b: b))
        case .isNull(let operand):
            let a = self.emit(operand)
            return self.append(Instruction(opcode: .isNull, a: a))
        case .compare(let op, .property(let name), .constant(let value?)):
            return self.append(
                Instruction(
                    opcode: .compareProperty, flag: Self.comparisonFlag(op), a: self.name(name),
                    b: self.constant(value)))
        case .compare(let op, let left, let right):
            let a = self.emit(left)
            let b = self.emit(right)
            return self.append(Instruction(opcode: .compare, flag: Self.comparisonFlag(op), a: a, b: b))
        case .between(.property(let name), .constant(let low?), .constant(let high?), let negated):
            return self.append(
                Instruction(
                    opcode: .betweenProperty, flag: negated ? 1 : 0, a: self.name(name), b: self.constant(low),
                    c: self.constant(high)))
        case .between(let value, let low, let high, let negated):
            let a = self.emit(value)
            let b = self.emit(low)
            let c = self.emit(high)
            return self.append(Instruction(opcode: .between, flag: negated ? 1 : 0, a: a, b: b, c: c))
        case .inList(let name, let set, let negated):
            self.lists.append(set)
            return self.append(
                Instruction(
                    opcode: .inList, flag: negated ? 1 : 0, a: self.name(name), b: Int32(self.lists.count - 1)))
        case .stringMatch(let kind, let operand, let search, let negated):
            let a = self.emit(operand)
            self.strings.append(search)
            let kindBits: UInt8
            switch kind {
            case .contains: kindBits = 0
            case .startsWith: kindBits = 1
            case .endsWith: kindBits = 2
            }
            return self.append(
                Instruction(
                    opcode: .stringMatch, flag: kindBits | (negated ? 0x10 : 0), a: a,
                    b: Int32(self.strings.count - 1)))
        }
    }

    private mutating func append(_ instruction: Instruction) -> Int32 {
        self.code.append(instruction)
        return Int32(self.code.count - 1)
    }

    private mutating func constant(_ value: SQL92Value) -> Int32 {
        self.constants.append(value)
        return Int32(self.constants.count - 1)
    }

    private mutating func name(_ name: String) -> Int32 {
        if let index = self.names.firstIndex(where: { exactlyEqual($0, name) }) { return Int32(index) }
        self.names.append(name)
        return Int32(self.names.count - 1)
    }
}
