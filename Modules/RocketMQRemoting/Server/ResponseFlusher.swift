//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore

/// Writes responses to one connection and coalesces their flushes: responses that become ready in the
/// same event-loop tick leave in one write syscall instead of one each.
///
/// Every write and the pending-flush flag are handled on the channel's event loop: the write is queued
/// there, and the first write of a tick queues one flush behind it, which also carries every write queued
/// before it ran.
final class ResponseFlusher: @unchecked Sendable {
    // `flushPending` is only read and written on `channel.eventLoop` (see `write`), which serialises it.
    private var flushPending = false
    let channel: any Channel

    init(channel: any Channel) { self.channel = channel }

    func write(_ command: RemotingCommand) {
        let loop = channel.eventLoop
        if loop.inEventLoop {
            writeOnLoop(command)
        } else {
            loop.execute { self.writeOnLoop(command) }
        }
    }

    private func writeOnLoop(_ command: RemotingCommand) {
        channel.write(command, promise: nil)
        guard !flushPending else { return }
        flushPending = true
        channel.eventLoop.execute {
            self.flushPending = false
            self.channel.flush()
        }
    }
}
