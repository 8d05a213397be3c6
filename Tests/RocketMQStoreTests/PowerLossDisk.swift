//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import RocketMQStore
import Synchronization

/// A disk that loses power, for the store's fault-injection tests.
///
/// A `kill -9` keeps the page cache, so it never tests `msync`. This model does: it watches what the store
/// made durable (``StoreFileEvent``) and, at the crash, builds the directory a machine would find after
/// power returns. The model, page by page (4 KiB):
/// - a page whose content was synced and has not changed since comes back as synced;
/// - a page that held synced data and changed since comes back either as synced or as changed (disks
///   write a sector atomically, so a write never destroys bytes that were already on disk);
/// - a page that never held synced data and changed comes back as zeros, as changed, as garbage, or as
///   a changed prefix followed by garbage (a torn write in flight);
/// - a file exists after the crash only if its creation was durable (its directory was synced), and a
///   removed file stays removed. Parent directories are taken to exist.
final class PowerLossDisk: StoreFileObserver {
    private struct State {
        var images: [String: [UInt8]] = [:]
        var crashed = false
    }

    private let state = Mutex(State())
    let root: String

    init(root: String) {
        self.root = root
    }

    /// Records one event; nothing after ``crash()`` is recorded.
    func record(_ event: StoreFileEvent) {
        self.state.withLock { state in
            guard !state.crashed else { return }
            switch event {
            case .created(let path, let size):
                // A second report (the allocator's, after the appender already synced the file) changes nothing.
                guard path.hasPrefix(self.root), state.images[path] == nil else { return }
                state.images[path] = [UInt8](repeating: 0, count: size)
            case .synced(let path, let offset, let bytes):
                guard path.hasPrefix(self.root), var image = state.images[path] else { return }
                state.images[path] = nil
                let end = min(image.count, offset + bytes.count)
                if end > offset {
                    image.withUnsafeMutableBytes { target in
                        target.baseAddress!.advanced(by: offset).copyMemory(from: bytes.baseAddress!, byteCount: end - offset)
                    }
                }
                state.images[path] = image
            case .removed(let path):
                state.images[path] = nil
            }
        }
    }

    /// Power fails now: later events change nothing.
    func crash() {
        self.state.withLock { $0.crashed = true }
    }

    /// Whether power already failed (an acknowledgement seen after this never counted).
    var isCrashed: Bool { self.state.withLock { $0.crashed } }

    struct Outcome {
        var files = 0
        var changedPages = 0
        var tornPages = 0
    }

    /// Writes what power-up finds into `target` (same relative paths), choosing each changed page's
    /// fate with `random`. The live files under ``root`` are the page cache at the crash.
    func materialize<R: RandomNumberGenerator>(into target: String, random: inout R) throws -> Outcome {
        let images = self.state.withLock { $0.images }
        var outcome = Outcome()
        let page = MappedFile.pageSize
        for (path, durable) in images.sorted(by: { $0.key < $1.key }) {
            let relative = String(path.dropFirst(self.root.count))
            let destination = target + relative
            try FileManager.default.createDirectory(
                atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            var result = durable
            if let live = FileManager.default.contents(atPath: path).map([UInt8].init), live.count == durable.count {
                var start = 0
                while start < durable.count {
                    let end = min(durable.count, start + page)
                    if durable[start..<end] != live[start..<end] {
                        outcome.changedPages += 1
                        let heldSynced = durable[start..<end].contains { $0 != 0 }
                        switch Int.random(in: 0..<(heldSynced ? 2 : 4), using: &random) {
                        case 0: break  // the write never reached the disk
                        case 1: result.replaceSubrange(start..<end, with: live[start..<end])
                        case 2:
                            outcome.tornPages += 1
                            for i in start..<end { result[i] = UInt8.random(in: 0...255, using: &random) }
                        default:
                            outcome.tornPages += 1
                            let cut = Int.random(in: start..<end, using: &random)
                            result.replaceSubrange(start..<cut, with: live[start..<cut])
                            for i in cut..<end { result[i] = UInt8.random(in: 0...255, using: &random) }
                        }
                    }
                    start = end
                }
            }
            guard FileManager.default.createFile(atPath: destination, contents: Data(result)) else {
                throw StoreError.io(operation: "create", path: destination, errno: errno)
            }
            outcome.files += 1
        }
        return outcome
    }
}

/// SplitMix64: a seeded generator, so a failing crash point can be replayed from its seed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
