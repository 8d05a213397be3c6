//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Foundation
import RocketMQStore
import Testing

struct BadJSON: Error {}

@Suite("Config file store")
struct ConfigFileStoreTests {
    func parse(_ text: String) throws -> String {
        guard text.hasPrefix("{") && text.hasSuffix("}") else { throw BadJSON() }
        return text
    }

    @Test func fallsBackToBackupWhenMainIsCorruptOrMissing() throws {
        let dir = TemporaryDirectory("config")
        defer { dir.remove() }
        let store = ConfigFileStore(logger: StoreTestSupport.logger)
        let path = dir.path + "/config/topics.json"
        try store.persist("{\"v\":1}", to: path)
        try store.persist("{\"v\":2}", to: path)
        #expect(store.load(path, parse: self.parse) == "{\"v\":2}")
        #expect(ConfigFileStore.readText(path + ".bak") == "{\"v\":1}")
        try "{\"v\":2".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(store.load(path, parse: self.parse) == "{\"v\":1}")
        try FileManager.default.removeItem(atPath: path)
        #expect(store.load(path, parse: self.parse) == "{\"v\":1}")
        try FileManager.default.removeItem(atPath: path + ".bak")
        #expect(store.load(path, parse: self.parse) == nil)
    }
}
