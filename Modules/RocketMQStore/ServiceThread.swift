//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Dispatch
import RocketMQCommon
import Synchronization

/// A dedicated OS thread running one service loop (Java `ServiceThread`).
///
/// Flushing, dispatching and file allocation block on disk I/O, so they never run on the Swift
/// cooperative pool or an event loop. `wakeup()` is cheap enough to call on every append: it only
/// signals the semaphore when the flag goes from false to true.
final class ServiceThread: Sendable {
    let name: String
    private let semaphore = DispatchSemaphore(value: 0)
    private let notified = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(name: String) {
        self.name = name
    }

    /// Starts the loop on a new thread; `body` should return once ``isStopped`` is true.
    func start(_ body: @escaping @Sendable () -> Void) {
        guard self.running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        OSThread.spawn(name: self.name) { [finished] in
            body()
            finished.signal()
        }
    }

    var isStopped: Bool { self.stopped.load(ordering: .acquiring) }

    /// Makes a pending or the next ``waitForRunning(milliseconds:)`` return immediately.
    @inline(__always)
    func wakeup() {
        if self.notified.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged {
            self.semaphore.signal()
        }
    }

    /// Sleeps until woken or until the interval passes.
    func waitForRunning(milliseconds: Int) {
        if self.notified.compareExchange(expected: true, desired: false, ordering: .acquiringAndReleasing).exchanged {
            // Consume the matching signal so the semaphore count stays bounded.
            _ = self.semaphore.wait(timeout: .now())
            return
        }
        _ = self.semaphore.wait(timeout: .now() + .microseconds(milliseconds * 1000))
        self.notified.store(false, ordering: .releasing)
    }

    /// Stops the loop and waits for the thread to finish.
    func shutdown() {
        self.stopped.store(true, ordering: .releasing)
        self.wakeup()
        self.semaphore.signal()
        if self.running.compareExchange(expected: true, desired: false, ordering: .acquiringAndReleasing).exchanged {
            self.finished.wait()
        }
    }
}
