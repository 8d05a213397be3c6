//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// Flushes consume queues, index files and the checkpoint (Java `FlushConsumeQueueService`).
///
/// Every ``MessageStoreConfig/flushIntervalConsumeQueue`` ms on its own thread; the logics
/// timestamp is captured before flushing so the checkpoint never claims more than is on disk.
final class FlushConsumeQueueService: Sendable {
    let thread = ServiceThread(name: "FlushConsumeQueueService")
    let config: MessageStoreConfig
    let checkpoint: StoreCheckpoint
    let consumeQueues: @Sendable () -> [ConsumeQueue]
    let indexService: IndexService

    init(
        config: MessageStoreConfig, checkpoint: StoreCheckpoint, indexService: IndexService,
        consumeQueues: @escaping @Sendable () -> [ConsumeQueue]
    ) {
        self.config = config
        self.checkpoint = checkpoint
        self.indexService = indexService
        self.consumeQueues = consumeQueues
    }

    func start() {
        self.thread.start { [self] in
            var lastThorough = Clock.millis()
            while !self.thread.isStopped {
                self.thread.waitForRunning(milliseconds: self.config.flushIntervalConsumeQueue)
                var leastPages = self.config.flushConsumeQueueLeastPages
                let now = Clock.millis()
                if now >= lastThorough + Int64(self.config.flushConsumeQueueThoroughInterval) {
                    lastThorough = now
                    leastPages = 0
                }
                self.flush(leastPages: leastPages)
            }
            self.flush(leastPages: 0)
        }
    }

    /// One round: consume queues, index, then the checkpoint.
    func flush(leastPages: Int) {
        let logicsTimestamp = self.checkpoint.logicsMsgTimestamp.load(ordering: .acquiring)
        for queue in self.consumeQueues() { queue.flush(leastPages: leastPages) }
        if leastPages == 0 {
            self.checkpoint.logicsMsgTimestamp.store(logicsTimestamp, ordering: .releasing)
        }
        if self.config.messageIndexEnable {
            let indexTimestamp = self.indexService.flush()
            if indexTimestamp > 0 { self.checkpoint.indexMsgTimestamp.store(indexTimestamp, ordering: .releasing) }
        }
        self.checkpoint.flush()
    }

    func shutdown() { self.thread.shutdown() }
}
