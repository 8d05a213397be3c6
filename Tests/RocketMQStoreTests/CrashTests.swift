//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import RocketMQCommon
@testable import RocketMQStore
import Testing

/// SIGKILLs `mqbench store-crash-child` (SYNC_FLUSH appender) at random moments and checks that
/// every acknowledged message survives, byte for byte, with a clean tail.
@Suite("Crash recovery")
struct CrashTests {
    /// Same derivation as `StoreCrashChild.body(for:)` in tools/mqbench.
    static func body(for id: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in id.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let length = Int(hash % 700)
        return "crash-\(id)-" + String(repeating: Character(UnicodeScalar(UInt8(97 + hash % 26))), count: length)
    }

    /// `swift build --build-tests` / `swift test` build `mqbench` next to the test bundle.
    static func mqbenchPath() -> String? {
        var candidates: [String] = []
        let argument0 = URL(fileURLWithPath: CommandLine.arguments[0])
        candidates.append(argument0.deletingLastPathComponent().appendingPathComponent("mqbench").path)
        candidates.append(
            argument0.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("mqbench").path)
        let bundle = URL(fileURLWithPath: Bundle.main.bundlePath)
        candidates.append(bundle.appendingPathComponent("mqbench").path)
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("mqbench").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Ack: Hashable {
        var id: String
        var queueOffset: Int64
        var physicalOffset: Int64
    }

    /// Runs the child for `millis` ms, SIGKILLs it and returns the acknowledged lines.
    ///
    /// Uses posix_spawn and waitpid directly: Foundation's `Process` adds about a second per round.
    static func runChild(_ binary: String, dir: String, millis: Int) throws -> [Ack] {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw StoreError.io(operation: "pipe", path: "", errno: errno) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)
        let arguments = [binary, "store-crash-child", "--dir", dir, "--file-size", "65536", "--concurrency", "4"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, binary, &actions, nil, &argv, environ)
        close(fds[1])
        guard spawned == 0 else {
            close(fds[0])
            throw StoreError.io(operation: "posix_spawn", path: binary, errno: spawned)
        }
        let collected = DataBox()
        let done = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let readFD = fds[0]
        Thread.detachNewThread {
            var signaled = false
            var data = [UInt8]()
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(readFD, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                data += chunk[0..<n]
                if !signaled {
                    signaled = true
                    started.signal()
                }
            }
            collected.data = Data(data)
            done.signal()
        }
        // The kill moment is random but counted from the child's first acknowledgement, so a slow start
        // (a loaded machine) cannot turn a round into a kill before the store even opened.
        _ = started.wait(timeout: .now() + 20)
        usleep(useconds_t(millis * 1000))
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        done.wait()
        close(readFD)
        let text = String(decoding: collected.data, as: UTF8.self)
        var acks: [Ack] = []
        // Only complete lines count: a line cut by the kill was never fully acknowledged to us.
        let complete = text.hasSuffix("\n") ? text[...] : text[..<(text.lastIndex(of: "\n") ?? text.startIndex)]
        for line in complete.split(separator: "\n", omittingEmptySubsequences: true) {
            let parts = line.split(separator: " ")
            guard parts.count == 3, let q = Int64(parts[1]), let p = Int64(parts[2]) else { continue }
            acks.append(Ack(id: String(parts[0]), queueOffset: q, physicalOffset: p))
        }
        return acks
    }

    /// Compares the stored body (IPv4 hosts: length at 84, bytes from 88) without a full decode.
    static func bodyMatches(_ slice: SelectMappedBufferResult, _ expected: String) -> Bool {
        let bytes = Array(expected.utf8)
        return slice.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count >= 88 + bytes.count else { return false }
            guard Int(base.loadInt32BE(at: 84)) == bytes.count else { return false }
            return memcmp(base + 88, bytes, bytes.count) == 0
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func acknowledgedMessagesSurviveSIGKILL() async throws {
        let binary = try #require(Self.mqbenchPath(), "mqbench not found next to the test bundle; run swift build --build-tests")
        let dir = TemporaryDirectory("crash")
        defer { dir.remove() }
        var config = MessageStoreConfig(storePathRootDir: dir.path)
        config.mappedFileSizeCommitLog = 65536
        config.mappedFileSizeConsumeQueue = 2000 * 20
        config.maxHashSlotNum = 1000
        config.maxIndexNum = 4000
        config.diskUsageRatio = { _ in 0.1 }
        var acknowledged: [Ack] = []
        var rounds = 0
        var roundsWithAcks = 0
        while rounds < 20 {
            rounds += 1
            let acks = try Self.runChild(binary, dir: dir.path, millis: Int.random(in: 20...400))
            if !acks.isEmpty { roundsWithAcks += 1 }
            let latest = Set(acks.map(\.id))
            acknowledged += acks

            let store = try StoreTestSupport.open(config)
            #expect(store.runtimeInfo["lastExitOK"] == "false")
            for ack in acknowledged {
                let result = store.getMessage(
                    group: "g", topic: "CrashTest", queueID: 0, offset: ack.queueOffset, maxMsgNums: 1)
                #expect(result.status == .found, "round \(rounds): \(ack.id) at \(ack.queueOffset) missing")
                guard let slice = result.messages.first else { continue }
                #expect(slice.startOffset == ack.physicalOffset)
                #expect(Self.bodyMatches(slice, Self.body(for: ack.id)), "round \(rounds): body of \(ack.id)")
                if latest.contains(ack.id) {
                    // Full decode for this round's messages (earlier rounds were decoded before).
                    let message = StoreTestSupport.decode(slice)
                    #expect(message?.bodyString == Self.body(for: ack.id))
                    #expect(message?.keys == ack.id)
                    #expect(message?.commitLogOffset == ack.physicalOffset)
                }
            }
            // Clean tail: the queue ends at the last valid record and nothing follows the commit-log end.
            let maxQueue = store.maxOffsetInQueue(topic: "CrashTest", queueID: 0)
            #expect(maxQueue >= Int64(acknowledged.count))
            if maxQueue > 0 {
                let last = store.getMessage(group: "g", topic: "CrashTest", queueID: 0, offset: maxQueue - 1, maxMsgNums: 1)
                let slice = try #require(last.messages.first)
                let lastEnd = slice.startOffset + Int64(slice.size)
                if lastEnd != store.maxPhyOffset {
                    // Killed after rolling to a new file but before its first record: the old file ends in
                    // the end-of-file blank and the log continues at the next file's start.
                    let fileSize = Int64(config.mappedFileSizeCommitLog)
                    #expect(store.maxPhyOffset == (lastEnd / fileSize + 1) * fileSize,
                            "round \(rounds): last record ends at \(lastEnd), log at \(store.maxPhyOffset)")
                    let file = try #require(store.commitLog.queue.findMappedFile(offset: lastEnd))
                    let magic = (file.readPointer + Int(lastEnd - file.fileFromOffset) + 4).loadInt32BE(at: 0)
                    #expect(magic == MessageDecoder.blankMagicCode, "round \(rounds): no end-of-file blank after the last record")
                }
            }
            let end = store.maxPhyOffset
            if let file = store.commitLog.queue.findMappedFile(offset: end) {
                let position = Int(end - file.fileFromOffset)
                let count = min(4096, file.fileSize - position)
                let tail = UnsafeRawBufferPointer(start: file.readPointer + position, count: count)
                #expect(tail.allSatisfy { $0 == 0 }, "round \(rounds): bytes after the end are not zero")
            }
            store.shutdown()
        }
        #expect(roundsWithAcks >= 12)
        #expect(Set(acknowledged.map(\.queueOffset)).count == acknowledged.count)
    }
}

final class DataBox: @unchecked Sendable {
    // Written once by the reader thread before it signals; read after the wait.
    var data = Data()
}
