//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// The certificate servers present while `tls.test.mode.enable=true` (upstream's default).
///
/// Upstream makes a fresh self-signed certificate at every start (Netty `SelfSignedCertificate`).
/// swift-nio-ssl cannot make certificates, and doing it in memory would add swift-certificates and
/// a second BoringSSL (swift-crypto's) to every build, minutes on CI for a mode that authenticates
/// nothing. So this one self-signed EC P-256 pair is built in. That costs no security test mode had:
/// its clients trust any server, so anyone can impersonate a test-mode server with or without this
/// key, and ECDHE key exchange means a known server key does not let a passive listener decrypt.
/// Never use test mode where authentication matters; name real certificates instead.
///
/// Made with `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500
/// -subj "/CN=rocketmq-swift test mode (insecure)" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1"`
/// (valid until 2126).
enum TLSTestCertificate {
    static let certificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBzzCCAXWgAwIBAgIUBwEXCVhCmxVj9bAu3Xav1FpiB9QwCgYIKoZIzj0EAwIw
        LjEsMCoGA1UEAwwjcm9ja2V0bXEtc3dpZnQgdGVzdCBtb2RlIChpbnNlY3VyZSkw
        IBcNMjYxMjAzMTIzMjA4WhgPMjEyNjExMDkxMjMyMDhaMC4xLDAqBgNVBAMMI3Jv
        Y2tldG1xLXN3aWZ0IHRlc3QgbW9kZSAoaW5zZWN1cmUpMFkwEwYHKoZIzj0CAQYI
        KoZIzj0DAQcDQgAE09cYSzynkoSbXkT8td0EMDeixcGBBicUCY+BtXIXrzi7ffWY
        zzE51GqiXzVpuQFg0lA83IjAsQO8jztVcEK9raNvMG0wHQYDVR0OBBYEFKSuwAC4
        BsoAtrFMBKAyyLyvmqfDMB8GA1UdIwQYMBaAFKSuwAC4BsoAtrFMBKAyyLyvmqfD
        MA8GA1UdEwEB/wQFMAMBAf8wGgYDVR0RBBMwEYIJbG9jYWxob3N0hwR/AAABMAoG
        CCqGSM49BAMCA0gAMEUCIHulwy37FijlOn5qZRnWm1qBU9cuGEDnA45t+pqaGj+E
        AiEAw6XSfc9V/iVbcIlTwf7XEiKZueCmXLmWOVHTXB9KJJo=
        -----END CERTIFICATE-----
        """

    static let privateKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgkYJs5t65B4fusabg
        KTkgN52ostdwIKSoII3yd4d6nv2hRANCAATT1xhLPKeShJteRPy13QQwN6LFwYEG
        JxQJj4G1chevOLt99ZjPMTnUaqJfNWm5AWDSUDzciMCxA7yPO1VwQr2t
        -----END PRIVATE KEY-----
        """
}
