//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Foundation
import RocketMQCommon
import Testing

private struct BadJSON: Error {}

@Suite("FileIO atomic config files")
struct FileIOTests {
    private func parse(_ text: String) throws -> String {
        guard text.hasPrefix("{") && text.hasSuffix("}") else { throw BadJSON() }
        return text
    }

    @Test func writeKeepsBackupAndLoadFallsBackWhenMainIsCorruptOrMissing() throws {
        let dir = NSTemporaryDirectory() + "rmq-fileio-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/config/topics.json"

        try FileIO.writeAtomically("{\"v\":1}", to: path)
        try FileIO.writeAtomically("{\"v\":2}", to: path)
        #expect(FileIO.loadWithBackup(path, parse: self.parse)?.value == "{\"v\":2}")
        #expect(FileIO.loadWithBackup(path, parse: self.parse)?.path == path)
        #expect(FileIO.readString(path + ".bak") == "{\"v\":1}")
        #expect(!FileIO.exists(path + ".tmp"))

        try "{\"v\":2".write(toFile: path, atomically: false, encoding: .utf8)
        let fromBackup = FileIO.loadWithBackup(path, parse: self.parse)
        #expect(fromBackup?.value == "{\"v\":1}")
        #expect(fromBackup?.path == path + ".bak")

        try FileManager.default.removeItem(atPath: path)
        #expect(FileIO.loadWithBackup(path, parse: self.parse)?.value == "{\"v\":1}")
        try FileManager.default.removeItem(atPath: path + ".bak")
        #expect(FileIO.loadWithBackup(path, parse: self.parse) == nil)
    }
}
