//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Failures of the store's file handling.
///
/// Expected outcomes of puts and gets (a full disk, an offset out of range) are status values
/// (``PutMessageStatus``, ``GetMessageStatus``), not errors; these cases are for the file system
/// and for files whose content cannot be trusted.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// A system call failed; `errno` is the C error number.
    case io(operation: String, path: String, errno: Int32)
    /// A store file has an unexpected size or content.
    case corruptFile(path: String, reason: String)
    /// A configuration value cannot be used.
    case invalidConfig(String)
    /// The store was used before `load()`/`start()` or after `shutdown()`.
    case notRunning

    public var description: String {
        switch self {
        case .io(let operation, let path, let errno):
            return "\(operation) failed for \(path): errno \(errno)"
        case .corruptFile(let path, let reason):
            return "corrupt store file \(path): \(reason)"
        case .invalidConfig(let reason):
            return "invalid store config: \(reason)"
        case .notRunning:
            return "message store is not running"
        }
    }
}
