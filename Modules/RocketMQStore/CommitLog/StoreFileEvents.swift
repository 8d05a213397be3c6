//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// What the store made durable, reported to an observer that fault-injection tests install to model a
/// power loss (what survives is what was synced; the rest of a dirty page may or may not).
///
/// Off in production: each sync, creation or removal pays one relaxed atomic load.
package enum StoreFileEvent {
    /// A file now exists, durably, at `size` bytes of zeros (its directory entry was synced).
    case created(path: String, size: Int)
    /// `bytes` are on disk at `offset` of the file.
    case synced(path: String, offset: Int, bytes: UnsafeRawBufferPointer)
    /// The file is gone.
    case removed(path: String)
}

/// Receives ``StoreFileEvent``s (a power-loss model in tests).
package protocol StoreFileObserver: Sendable {
    /// Called synchronously; `bytes` of a `.synced` event may be read only during the call.
    func record(_ event: StoreFileEvent)
}

package enum StoreFileEvents {
    private static let enabled = Atomic<Bool>(false)
    private static let observer = Mutex<(any StoreFileObserver)?>(nil)

    /// Installs (or with nil removes) the process-wide observer.
    package static func observe(_ observer: (any StoreFileObserver)?) {
        self.observer.withLock { $0 = observer }
        self.enabled.store(observer != nil, ordering: .releasing)
    }

    static func emit(_ event: @autoclosure () -> StoreFileEvent) {
        guard self.enabled.load(ordering: .relaxed) else { return }
        self.observer.withLock { observer in observer?.record(event()) }
    }

    /// Syncs the directory holding `path`, so a file created or renamed there survives a power loss
    /// (an `msync`/`fdatasync` of the file itself does not persist its name).
    static func syncDirectory(of path: String) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let fd = Glibc.open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
