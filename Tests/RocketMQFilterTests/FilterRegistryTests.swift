//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import Synchronization
import Testing

@testable import RocketMQFilter

/// A user filter language: matches messages whose `KEYS` equals the expression.
struct KeysFilterFactory: MessageFilterFactory {
    var expressionType: String = "KEYS"
    let compiles: Counter?

    init(expressionType: String = "KEYS", compiles: Counter? = nil) {
        self.expressionType = expressionType
        self.compiles = compiles
    }

    struct Filter: CompiledFilter {
        let key: String
        func matches(tagsCode: Int64?) -> Bool { true }
        var needsProperties: Bool { true }
        func matches(properties: [String: String]) -> Bool { properties["KEYS"] == self.key }
    }

    func compile(_ expression: String) throws(FilterError) -> any CompiledFilter {
        self.compiles?.increment()
        guard !expression.isEmpty else {
            throw FilterError(code: .invalidExpression, expressionType: self.expressionType, reason: "empty key")
        }
        return Filter(key: expression)
    }
}

final class Counter: Sendable {
    private let value = Mutex(0)
    func increment() { self.value.withLock { $0 += 1 } }
    var count: Int { self.value.withLock { $0 } }
}

@Suite("Filter registry")
struct FilterRegistryTests {
    @Test func bundledFactories() throws {
        let registry = FilterRegistry()
        #expect(registry.expressionTypes == ["TAG", "SQL92"])
        #expect(registry.factory(for: "TAG") is TagFilterFactory)
        #expect(registry.factory(for: "sql92") is SQL92FilterFactory)
        #expect(registry.factory(for: "Sql92") is SQL92FilterFactory)
        #expect(registry.factory(for: "") is TagFilterFactory)
        #expect(registry.factory(for: "XML") == nil)
        #expect(FilterRegistry(bundled: false).expressionTypes.isEmpty)
    }

    @Test func duplicateTypesAreRejectedLoudly() throws {
        var registry = FilterRegistry()
        for type in ["SQL92", "sql92", "TAG", "tag"] {
            do {
                try registry.register(KeysFilterFactory(expressionType: type))
                Issue.record("duplicate \(type) accepted")
            } catch {
                #expect(error.code == .duplicateExpressionType)
                #expect(error.description.contains("already registered"))
            }
        }
        try registry.register(KeysFilterFactory())
        #expect(throws: FilterError.self) { try registry.register(KeysFilterFactory(expressionType: "keys")) }
        #expect(registry.expressionTypes == ["TAG", "SQL92", "KEYS"])
    }

    @Test func userFilterCompilesThroughRegistry() throws {
        var registry = FilterRegistry(bundled: false)
        try registry.register(KeysFilterFactory())
        let filter = try registry.compile(type: "keys", expression: "order-1")
        #expect(filter.matches(tagsCode: 1, properties: ["KEYS": "order-1"]))
        #expect(!filter.matches(tagsCode: 1, properties: ["KEYS": "order-2"]))
        #expect(throws: FilterError.self) { try registry.compile(type: "TAG", expression: "*") }
        do {
            _ = try registry.compile(type: "XML", expression: "x")
        } catch {
            #expect(error.code == .unsupportedExpressionType)
            #expect(error.description == #"XML unsupported expression type: no filter is registered for expression type "XML""#)
        }
    }

    @Test func cacheCompilesOncePerSubscriptionVersion() throws {
        let compiles = Counter()
        var registry = FilterRegistry()
        try registry.register(KeysFilterFactory(compiles: compiles))
        let cache = CompiledFilterCache(registry: registry, capacity: 8)
        for _ in 0..<10 { _ = try cache.filter(type: "KEYS", expression: "k", subVersion: 1) }
        #expect(compiles.count == 1)
        _ = try cache.filter(type: "keys", expression: "k", subVersion: 1)
        #expect(compiles.count == 1)
        _ = try cache.filter(type: "KEYS", expression: "k", subVersion: 2)
        #expect(compiles.count == 2)
        // Failures are cached too.
        for _ in 0..<5 { #expect(throws: FilterError.self) { try cache.filter(type: "KEYS", expression: "", subVersion: 1) } }
        #expect(compiles.count == 3)
        // Bounded.
        for version in 10..<40 { _ = try cache.filter(type: "KEYS", expression: "k", subVersion: Int64(version)) }
        #expect(cache.count <= 8)
        cache.removeAll()
        #expect(cache.count == 0)
    }

    @Test func cacheForSubscriptions() throws {
        let cache = CompiledFilterCache(registry: FilterRegistry())
        let sql = SubscriptionData(topic: "T", subString: "a > 1", subVersion: 1, expressionType: "SQL92")
        let filter = try cache.filter(for: sql)
        #expect(filter.matches(properties: ["a": "2"]) && !filter.matches(properties: ["a": "1"]))
        let tag = try FilterAPI.buildSubscriptionData(topic: "T", subString: "TagA", subVersion: 1)
        #expect(try cache.filter(for: tag).matches(tagsCode: 2_598_919))
        #expect(try !cache.filter(for: tag).matches(tagsCode: 1))
        let bad = SubscriptionData(topic: "T", subString: "a >", subVersion: 1, expressionType: "SQL92")
        #expect(throws: FilterError.self) { try cache.filter(for: bad) }
    }

    @Test func cacheIsSafeUnderConcurrency() async throws {
        let cache = CompiledFilterCache(registry: FilterRegistry(), capacity: 16)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var ok = true
                    for i in 0..<500 {
                        let filter = try cache.filter(type: "SQL92", expression: "a = \(i % 20)", subVersion: Int64(task % 2))
                        ok = ok && filter.matches(properties: ["a": String(i % 20)])
                    }
                    return ok
                }
            }
            for try await ok in group { #expect(ok) }
        }
        #expect(cache.count <= 16)
    }
}

@Suite("Filter errors")
struct FilterErrorTests {
    @Test func compileFailuresMapToSubscriptionParseFailed() {
        do {
            _ = try FilterRegistry().compile(type: "SQL92", expression: "a >")
            Issue.record("expected a failure")
        } catch {
            #expect(error.responseCode.rawValue == 23)
            #expect(error.remark == error.description)
        }
        let duplicate = FilterError(code: .duplicateExpressionType, reason: "x")
        #expect(duplicate.responseCode.rawValue == 1)
    }
}
