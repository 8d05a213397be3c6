//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCompression
import Synchronization

/// The broker's body codecs: every plugin's `extensions.compressors`, merged once all have loaded.
///
/// Hooks are built during `load`, before plugins listed later have registered their codecs, so they
/// hold this and read the merged registry when they run: a zstd plugin listed after the compression
/// plugin is used by its at-rest and client-codec hooks all the same.
public final class BrokerCompressors: Sendable {
    private let merged = Mutex(CompressorRegistry())

    init() {}

    /// Every registered codec (empty until the broker has loaded its plugins).
    public var registry: CompressorRegistry { merged.withLock { $0 } }

    func freeze(_ registry: CompressorRegistry) { merged.withLock { $0 = registry } }
}
