//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Waits until `condition` holds, checking every `interval`, or throws once `timeout` has passed.
///
/// For state that has no signal to await (a table entry appearing, a file being written). The
/// interval is a polling step, not a fixed sleep: the wait ends as soon as the condition holds.
public func waitUntil(timeout: Duration = .seconds(5), interval: Duration = .milliseconds(10),
                      _ what: @autoclosure () -> String = "condition",
                      _ condition: () async throws -> Bool) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        if try await condition() { return }
        if clock.now >= deadline { throw TestSupportError("timed out after \(timeout) waiting for \(what())") }
        try await Task.sleep(for: interval)
    }
}
