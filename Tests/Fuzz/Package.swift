// swift-tools-version:6.1
// libFuzzer targets for the parsers that read bytes from the network or the disk (issue 14).
//
// A package of its own because every target here is built with `-sanitize=fuzzer,address`, which the root
// package's executables must never see. Build and run with `Tests/Fuzz/run.sh` (or `make fuzz`).
import PackageDescription

/// One executable per fuzz target: `Sources/<Name>/main.swift`, whose top-level code hands its one-input
/// function to libFuzzer's driver (see `CLibFuzzer`).
let fuzzTargets = [
    "FuzzFrameParser", "FuzzJSONHeader", "FuzzRocketMQHeader", "FuzzStoredMessage", "FuzzProperties",
    "FuzzSQL92", "FuzzBatchBody", "FuzzHAFrames",
]

/// The parsers' own layers only: the broker product would also build swift-crypto, Yams and the metrics
/// packages with the sanitizers, for nothing these targets reach.
let rocketmq: [Target.Dependency] = ["RocketMQCommon", "RocketMQRemoting", "RocketMQStore", "RocketMQFilter"].map {
    .product(name: $0, package: "rocketmq-swift")
}
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")

let package = Package(
    name: "rocketmq-swift-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "rocketmq-swift", path: "../.."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [.target(name: "CLibFuzzer", path: "Sources/CLibFuzzer")] + fuzzTargets.map { name in
        .executableTarget(name: name, dependencies: ["CLibFuzzer", nioCore] + rocketmq, path: "Sources/\(name)")
    }
)
