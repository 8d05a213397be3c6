//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import Synchronization

/// The process-wide registry of ``MQClientInstance``s (Java `MQClientManager`).
///
/// One instance per client id and name-server list: producers and consumers that share both share
/// connections, heartbeats and route caches. The table is guarded by a `Mutex`; an instance removes
/// itself when its last producer or consumer shuts down.
public final class MQClientManager: Sendable {
    public static let shared = MQClientManager()

    private let instances = Mutex<[String: MQClientInstance]>([:])

    static func key(_ config: ClientConfig) -> String {
        config.clientID + "|" + config.namesrvAddr + (config.useTLS ? "|tls" : "")
    }

    /// Returns the shared instance for this configuration, creating it on first use. Later callers get the
    /// first caller's intervals.
    public func instance(for config: ClientConfig, logger: Logger = Logger(label: "rocketmq.client")) -> MQClientInstance {
        instances.withLock { table in
            let key = Self.key(config)
            if let existing = table[key] { return existing }
            let created = MQClientInstance(config: config, logger: logger)
            table[key] = created
            return created
        }
    }

    func remove(_ instance: MQClientInstance) {
        instances.withLock { table in
            let key = Self.key(instance.config)
            if table[key] === instance { table[key] = nil }
        }
    }

    /// Number of live instances (tests).
    public var count: Int { instances.withLock { $0.count } }
}
