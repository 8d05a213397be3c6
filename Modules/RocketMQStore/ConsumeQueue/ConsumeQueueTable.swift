//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import RocketMQCommon
import Synchronization

/// All consume queues by topic and queue id (Java `consumeQueueTable`).
///
/// A `Mutex` guards the dictionary only; each ``ConsumeQueue`` is internally safe for one writer
/// (the reput thread) and many readers.
final class ConsumeQueueTable: Sendable {
    let rootDirectory: String
    let fileSize: Int
    let logger: Logger
    private let table = Mutex<[String: [Int32: ConsumeQueue]]>([:])

    init(rootDirectory: String, fileSize: Int, logger: Logger) {
        self.rootDirectory = rootDirectory
        self.fileSize = fileSize
        self.logger = logger
    }

    /// The queue for a topic-queue, created (without files) when missing.
    func findOrCreate(topic: String, queueID: Int32) -> ConsumeQueue {
        self.table.withLock { table in
            if let queue = table[topic]?[queueID] { return queue }
            let queue = ConsumeQueue(
                topic: topic, queueID: queueID, rootDirectory: self.rootDirectory, fileSize: self.fileSize,
                logger: self.logger)
            table[topic, default: [:]][queueID] = queue
            return queue
        }
    }

    func find(topic: String, queueID: Int32) -> ConsumeQueue? {
        self.table.withLock { $0[topic]?[queueID] }
    }

    var all: [ConsumeQueue] {
        self.table.withLock { table in table.values.flatMap { $0.values } }
    }

    func removeTopic(_ topic: String) -> [ConsumeQueue] {
        self.table.withLock { table in
            let removed = table[topic].map { Array($0.values) } ?? []
            table[topic] = nil
            return removed
        }
    }

    /// Maps every `consumequeue/<topic>/<queueId>/` directory found on disk.
    func load() throws(StoreError) {
        try MappedFileQueue.makeDirectory(self.rootDirectory)
        let topics = FileIO.listDirectory(self.rootDirectory) ?? []
        for topic in topics.sorted() {
            let queueDirs = FileIO.listDirectory(self.rootDirectory + "/" + topic) ?? []
            for name in queueDirs {
                guard let queueID = Int32(name) else { continue }
                let queue = self.findOrCreate(topic: topic, queueID: queueID)
                try queue.queue.load()
            }
        }
    }
}
