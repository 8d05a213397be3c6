//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import NIOPosix
import RocketMQCommon
import RocketMQNamesrv
import RocketMQRemoting

extension Logger {
    /// A logger that drops everything, so tests stay quiet.
    public static func quiet(_ label: String = "test") -> Logger {
        Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
    }
}

/// An in-process name server on 127.0.0.1 with an OS-chosen port, its KV file in a temp directory,
/// and the dead-broker scan running. Stop it with `stop()`.
public final class TestNamesrv: Sendable {
    public let controller: NamesrvController
    public let port: Int
    public let config: NamesrvConfig
    private let scan: Task<Void, Never>

    /// Address clients connect to ("127.0.0.1:port").
    public var address: String { "127.0.0.1:\(port)" }

    /// - Parameters:
    ///   - kvConfigPath: where KV config persists (share it across restarts).
    ///   - configure: tweaks applied after the test defaults (port 0, loopback).
    ///   - decompress: zlib inflate for compressed REGISTER_BROKER bodies.
    public init(kvConfigPath: String, configure: (inout NamesrvConfig) -> Void = { _ in },
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger = .quiet("namesrv"),
                decompress: @escaping @Sendable ([UInt8]) throws -> [UInt8] = { _ in
                    throw TestSupportError("no decompressor configured")
                }) async throws {
        var config = NamesrvConfig()
        config.listenPort = 0
        config.bindAddress = "127.0.0.1"
        config.kvConfigPath = kvConfigPath
        config.configStorePath = kvConfigPath + ".properties"
        configure(&config)
        let controller = try NamesrvController(config: config, group: group, logger: logger, decompress: decompress)
        self.port = try await controller.start()
        self.controller = controller
        self.config = config
        self.scan = Task { await controller.scanLoop() }
    }

    /// Stops the scan and closes the server.
    public func stop() async {
        scan.cancel()
        await scan.value
        await controller.shutdown()
    }
}
