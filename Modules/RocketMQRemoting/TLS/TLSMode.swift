//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// How a server treats TLS (upstream `TlsMode`, key `tls.server.mode`).
///
/// One port serves both kinds of client: the first byte a client sends tells a TLS handshake record
/// (`0x16`) from a remoting frame (see ``TLSModeHandler``).
public enum TLSMode: String, Sendable, CaseIterable {
    /// Never TLS: a client that starts a handshake is disconnected.
    case disabled
    /// TLS and plaintext on the same port (upstream's default).
    case permissive
    /// TLS only: a plaintext client is disconnected.
    case enforcing
}
