//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// `MessageSysFlag` bits (stored in the SYSFLAG field and sent by producers).
public enum MessageSysFlag {
    public static let compressed: Int32 = 0x1
    public static let multiTags: Int32 = 0x2
    public static let transactionNotType: Int32 = 0x0
    public static let transactionPreparedType: Int32 = 0x4
    public static let transactionCommitType: Int32 = 0x8
    public static let transactionRollbackType: Int32 = 0xC
    public static let bornHostV6: Int32 = 0x10
    public static let storeHostV6: Int32 = 0x20
    public static let needUnwrap: Int32 = 0x40
    public static let innerBatch: Int32 = 0x80
    /// Compression type bits 8–10: 0 or 3 = zlib, 1 = lz4, 2 = zstd.
    public static let compressionTypeMask: Int32 = 0x700
    public static let compressionLZ4: Int32 = 0x100
    public static let compressionZSTD: Int32 = 0x200
    public static let compressionZLIB: Int32 = 0x300

    @inlinable public static func transactionValue(_ flag: Int32) -> Int32 { flag & 0xC }
    @inlinable public static func resetTransactionValue(_ flag: Int32, _ type: Int32) -> Int32 { (flag & ~0xC) | type }
}

/// PullSysFlag bits of PULL_MESSAGE's `sysFlag`.
public enum PullSysFlag {
    public static let commitOffset: Int32 = 0x1
    public static let suspend: Int32 = 0x2
    public static let subscription: Int32 = 0x4
    public static let classFilter: Int32 = 0x8
    public static let litePull: Int32 = 0x10

    public static func build(commitOffset: Bool, suspend: Bool, subscription: Bool, classFilter: Bool = false) -> Int32 {
        var flag: Int32 = 0
        if commitOffset { flag |= Self.commitOffset }
        if suspend { flag |= Self.suspend }
        if subscription { flag |= Self.subscription }
        if classFilter { flag |= Self.classFilter }
        return flag
    }
}

/// Topic and broker permission bits (`PermName`).
public enum PermName {
    public static let inherit: Int32 = 1
    public static let write: Int32 = 2
    public static let read: Int32 = 4
    public static let priority: Int32 = 8

    @inlinable public static func isReadable(_ perm: Int32) -> Bool { perm & read == read }
    @inlinable public static func isWriteable(_ perm: Int32) -> Bool { perm & write == write }
    @inlinable public static func isInherited(_ perm: Int32) -> Bool { perm & inherit == inherit }

    public static func string(_ perm: Int32) -> String {
        (isReadable(perm) ? "R" : "-") + (isWriteable(perm) ? "W" : "-") + (isInherited(perm) ? "X" : "-")
    }
}
