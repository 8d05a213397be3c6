// swift-tools-version:6.1
import PackageDescription

let nio = Package.Dependency.package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2")
let log = Package.Dependency.package(url: "https://github.com/apple/swift-log.git", from: "1.16.2")
let argumentParser = Package.Dependency.package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2")
let serviceLifecycle = Package.Dependency.package(
    url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0")
// Metrics (issue 16): Prometheus exposition for broker and namesrv.
let swiftMetrics = Package.Dependency.package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0")
let swiftPrometheus = Package.Dependency.package(
    url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1")
let nioSSL = Package.Dependency.package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6")
// ACL (plain_acl.yml, HmacSHA1 signatures).
let crypto = Package.Dependency.package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3")
let yams = Package.Dependency.package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2")

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let argParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let coreMetrics = Target.Dependency.product(name: "CoreMetrics", package: "swift-metrics")
let prometheus = Target.Dependency.product(name: "Prometheus", package: "swift-prometheus")
let nioHTTP1 = Target.Dependency.product(name: "NIOHTTP1", package: "swift-nio")
let nioSSLProduct = Target.Dependency.product(name: "NIOSSL", package: "swift-nio-ssl")
let nioTLS = Target.Dependency.product(name: "NIOTLS", package: "swift-nio")
let cryptoProduct = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let yamsProduct = Target.Dependency.product(name: "Yams", package: "Yams")

let package = Package(
    name: "rocketmq-swift",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RocketMQClient", targets: ["RocketMQClient"]),
        .library(name: "RocketMQBroker", targets: ["RocketMQBroker"]),
        // The layers below, as upstream publishes rocketmq-common, -remoting and -store; the fuzz package
        // builds only these (not the broker's crypto, YAML and metrics dependencies).
        .library(name: "RocketMQCommon", targets: ["RocketMQCommon"]),
        .library(name: "RocketMQRemoting", targets: ["RocketMQRemoting"]),
        .library(name: "RocketMQStore", targets: ["RocketMQStore"]),
        .library(name: "RocketMQFilter", targets: ["RocketMQFilter"]),
        .executable(name: "mqnamesrv", targets: ["mqnamesrv"]),
        .executable(name: "mqbroker", targets: ["mqbroker"]),
        .executable(name: "mqadmin", targets: ["mqadmin"]),
        .executable(name: "mqbench", targets: ["mqbench"]),
        .executable(name: "rocketmq-example", targets: ["rocketmq-example"]),
    ],
    dependencies: [nio, log, argumentParser, serviceLifecycle, nioSSL, crypto, yams, swiftMetrics, swiftPrometheus],
    targets: [
        // System libraries (apt: zlib1g-dev, liblz4-dev).
        .systemLibrary(
            name: "CZlib", path: "Modules/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CLZ4", path: "Modules/CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),

        // Libraries, bottom-up.
        .target(name: "RocketMQCommon", dependencies: [nioCore, "CZlib"], path: "Modules/RocketMQCommon",
                swiftSettings: swiftSettings),
        .target(name: "RocketMQCompression", dependencies: ["RocketMQCommon", "CZlib", "CLZ4"],
                path: "Modules/RocketMQCompression", swiftSettings: swiftSettings),
        .target(name: "RocketMQRemoting", dependencies: ["RocketMQCommon", nioCore, nioPosix, logging, nioSSLProduct, nioTLS],
                path: "Modules/RocketMQRemoting", swiftSettings: swiftSettings),
        .target(name: "RocketMQAcl",
                dependencies: ["RocketMQCommon", "RocketMQRemoting", nioCore, logging, cryptoProduct, yamsProduct],
                path: "Modules/RocketMQAcl", swiftSettings: swiftSettings),
        .target(name: "RocketMQFilter", dependencies: ["RocketMQCommon"], path: "Modules/RocketMQFilter",
                swiftSettings: swiftSettings),
        .target(name: "RocketMQStore", dependencies: ["RocketMQCommon", nioCore, nioPosix, logging],
                path: "Modules/RocketMQStore", swiftSettings: swiftSettings),
        // Prometheus exposition shared by broker and namesrv (issue 16).
        .target(name: "RocketMQMetrics",
                dependencies: ["RocketMQCommon", "RocketMQRemoting", prometheus, coreMetrics, nioCore, nioPosix,
                               nioHTTP1, logging],
                path: "Modules/RocketMQMetrics", swiftSettings: swiftSettings),
        .target(name: "RocketMQNamesrv",
                dependencies: ["RocketMQCommon", "RocketMQRemoting", "RocketMQCompression", nioCore, nioPosix,
                               logging, lifecycle, "RocketMQMetrics"],
                path: "Modules/RocketMQNamesrv", swiftSettings: swiftSettings),
        .target(name: "RocketMQBroker",
                dependencies: ["RocketMQCommon", "RocketMQRemoting", "RocketMQStore", "RocketMQFilter",
                               "RocketMQCompression", "RocketMQAcl", "RocketMQMetrics", nioCore, nioPosix, logging,
                               lifecycle],
                path: "Modules/RocketMQBroker", swiftSettings: swiftSettings),
        .target(name: "RocketMQClient",
                dependencies: ["RocketMQCommon", "RocketMQRemoting", "RocketMQCompression", "RocketMQAcl", nioCore, nioPosix,
                               logging],
                path: "Modules/RocketMQClient", swiftSettings: swiftSettings),

        // Broker plugins: they see the broker only through its plugin API.
        .target(name: "RocketMQCompressionPlugin", dependencies: ["RocketMQBroker", "RocketMQCompression"],
                path: "Modules/Plugins/RocketMQCompressionPlugin", swiftSettings: swiftSettings),
        .target(name: "RocketMQDelayLevelPlugin",
                dependencies: ["RocketMQBroker", "RocketMQCommon", "RocketMQRemoting", "RocketMQStore", nioCore],
                path: "Modules/Plugins/RocketMQDelayLevelPlugin", swiftSettings: swiftSettings),

        // Executables named as upstream's commands.
        .executableTarget(name: "mqnamesrv", dependencies: ["RocketMQNamesrv", argParser, logging, lifecycle],
                          path: "Modules/mqnamesrv", swiftSettings: swiftSettings),
        .executableTarget(name: "mqbroker",
                          dependencies: ["RocketMQBroker", "RocketMQNamesrv", "RocketMQCompressionPlugin",
                                         "RocketMQDelayLevelPlugin", argParser, logging, lifecycle],
                          path: "Modules/mqbroker", swiftSettings: swiftSettings),

        // Tools.
        .target(name: "RocketMQTools",
                dependencies: ["RocketMQClient", "RocketMQCommon", "RocketMQRemoting", "RocketMQAcl", argParser, logging],
                path: "tools/RocketMQTools", swiftSettings: swiftSettings),
        .executableTarget(name: "mqadmin", dependencies: ["RocketMQTools", argParser],
                          path: "tools/mqadmin", swiftSettings: swiftSettings),
        .executableTarget(name: "mqbench",
                          dependencies: ["RocketMQClient", "RocketMQRemoting", "RocketMQStore", "RocketMQFilter",
                                         "RocketMQCommon", "RocketMQAcl", argParser, nioCore, nioPosix, logging],
                          path: "tools/mqbench", swiftSettings: swiftSettings),

        // Examples.
        .executableTarget(name: "rocketmq-example", dependencies: ["RocketMQClient", "RocketMQCommon", argParser],
                          path: "example", exclude: ["CustomFilterPlugin", "CustomFilterBroker"],
                          swiftSettings: swiftSettings),
        // A user-written filter plugin and the small custom broker that registers it.
        .target(name: "KeyPrefixFilterPlugin", dependencies: ["RocketMQBroker", "RocketMQFilter", "RocketMQCommon"],
                path: "example/CustomFilterPlugin", swiftSettings: swiftSettings),
        .executableTarget(name: "custom-filter-broker",
                          dependencies: ["KeyPrefixFilterPlugin", "RocketMQBroker", "RocketMQCommon",
                                         "RocketMQCompressionPlugin", "RocketMQDelayLevelPlugin"],
                          path: "example/CustomFilterBroker", swiftSettings: swiftSettings),

        // Test support and tests.
        .target(name: "RocketMQTestSupport",
                dependencies: ["RocketMQCommon", "RocketMQRemoting", "RocketMQNamesrv", "RocketMQBroker",
                               "RocketMQStore", nioCore, nioPosix, logging],
                path: "Modules/RocketMQTestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "RocketMQCommonTests", dependencies: ["RocketMQCommon", nioCore],
                    path: "Tests/RocketMQCommonTests", swiftSettings: swiftSettings),
        .testTarget(name: "RocketMQRemotingTests",
                    dependencies: ["RocketMQRemoting", "RocketMQCommon", nioCore, nioPosix,
                                   .product(name: "NIOEmbedded", package: "swift-nio"),
                                   .product(name: "NIOTestUtils", package: "swift-nio")],
                    path: "Tests/RocketMQRemotingTests", swiftSettings: swiftSettings),
        .testTarget(name: "RocketMQAclTests",
                    dependencies: ["RocketMQAcl", "RocketMQRemoting", "RocketMQCommon", nioCore],
                    path: "Tests/RocketMQAclTests", swiftSettings: swiftSettings),
        .testTarget(name: "RocketMQCompressionTests", dependencies: ["RocketMQCompression", "RocketMQCommon"],
                    path: "Tests/RocketMQCompressionTests", swiftSettings: swiftSettings),
        .testTarget(name: "RocketMQFilterTests", dependencies: ["RocketMQFilter", "RocketMQCommon"],
                    path: "Tests/RocketMQFilterTests", swiftSettings: swiftSettings),
        .testTarget(name: "RocketMQStoreTests", dependencies: ["RocketMQStore", "RocketMQCommon", nioCore],
                    path: "Tests/RocketMQStoreTests", swiftSettings: swiftSettings),
        .testTarget(name: "RocketMQClientTests", dependencies: ["RocketMQClient", "RocketMQCommon", "RocketMQRemoting", nioCore],
                    path: "Tests/RocketMQClientTests", swiftSettings: swiftSettings),
        .testTarget(name: "RocketMQBrokerFilterTests",
                    dependencies: ["KeyPrefixFilterPlugin", "RocketMQBroker", "RocketMQNamesrv", "RocketMQClient",
                                   "RocketMQCompression", "RocketMQRemoting", "RocketMQCommon", "RocketMQStore", nioCore,
                                   nioPosix],
                    path: "Tests/RocketMQBrokerFilterTests", swiftSettings: swiftSettings),
        .testTarget(name: "RocketMQIntegrationTests",
                    dependencies: ["RocketMQTestSupport", "RocketMQNamesrv", "RocketMQBroker", "RocketMQClient",
                                   "RocketMQRemoting", "RocketMQCommon", "RocketMQStore", "RocketMQCompression",
                                   "RocketMQFilter", "RocketMQDelayLevelPlugin", "RocketMQCompressionPlugin", "RocketMQAcl", nioCore,
                                   nioPosix, logging],
                    path: "Tests/RocketMQIntegrationTests", swiftSettings: swiftSettings),
        .testTarget(name: "RocketMQToolsTests",
                    dependencies: ["RocketMQTools", "RocketMQClient", "RocketMQBroker", "RocketMQNamesrv", "RocketMQStore",
                                   "RocketMQCompression", "RocketMQCommon", "RocketMQRemoting", nioCore, nioPosix],
                    path: "Tests/RocketMQToolsTests", swiftSettings: swiftSettings),
    ]
)
