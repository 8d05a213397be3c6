//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts a detached OS thread running a closure, without Foundation (whose `Thread` would pull the whole
/// Foundation and ICU into every binary). For loops that block on disk I/O and must not run on the Swift
/// cooperative pool or an event loop.
public enum OSThread {
    final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Runs `body` on a new thread (`name` is for diagnostics; Glibc's module does not export
    /// `pthread_setname_np`). Returns false if the thread could not be created.
    @discardableResult
    public static func spawn(name: String, _ body: @escaping @Sendable () -> Void) -> Bool {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            box.body()
            return nil
        }, box)
        guard rc == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            return false
        }
        pthread_detach(thread)
        return true
    }
}
