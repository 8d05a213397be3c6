//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import NIOPosix
import RocketMQCommon

/// Runs Swift concurrency's jobs on the NIO event loops, so a request does not hop between the I/O
/// threads and a separate task pool. For executables only (call first thing in `main`, once);
/// `ROCKETMQ_NIO_EXECUTOR=0` keeps the default pool.
public enum NIOConcurrencyExecutor {
    @discardableResult
    public static func installUnlessDisabled() -> Bool {
        guard getenvString("ROCKETMQ_NIO_EXECUTOR") != "0" else { return false }
        return NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
