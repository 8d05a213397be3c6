//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Test certificates for the TLS tests: a CA, a server certificate it signed (localhost, 127.0.0.1),
/// a client certificate it signed, a self-signed "rogue" client, and the server key encrypted with
/// password `123456` (PKCS#8, as upstream's docs make it). EC P-256, valid until 2126; made with
/// `openssl req` / `openssl x509 -req` / `openssl pkcs8 -topk8`. Written to disk by ``write(into:)``
/// because the keys are file paths, as upstream's.
public enum TLSTestFiles {
    /// Paths of the written files.
    public struct Paths: Sendable {
        public let caCert, serverCert, serverKey, serverEncryptedKey, clientCert, clientKey, rogueCert, rogueKey: String
    }

    public static let encryptedKeyPassword = "123456"

    /// Writes every file into `directory` and returns their paths.
    public static func write(into directory: TemporaryDirectory) throws -> Paths {
        Paths(caCert: try directory.write("ca.pem", caPEM),
              serverCert: try directory.write("server.pem", serverPEM),
              serverKey: try directory.write("server.key", serverKeyPEM),
              serverEncryptedKey: try directory.write("server-encrypted.key", serverEncryptedKeyPEM),
              clientCert: try directory.write("client.pem", clientPEM),
              clientKey: try directory.write("client.key", clientKeyPEM),
              rogueCert: try directory.write("rogue.pem", roguePEM),
              rogueKey: try directory.write("rogue.key", rogueKeyPEM))
    }

    static let caPEM = """
        -----BEGIN CERTIFICATE-----
        MIIBmjCCAT+gAwIBAgIUAUHnx/mhofJmZrLeMpkLsuIqsXEwCgYIKoZIzj0EAwIw
        ITEfMB0GA1UEAwwWcm9ja2V0bXEtc3dpZnQgdGVzdCBDQTAgFw0yNjEyMDMxMjQw
        MDVaGA8yMTI2MTEwOTEyNDAwNVowITEfMB0GA1UEAwwWcm9ja2V0bXEtc3dpZnQg
        dGVzdCBDQTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABHu6u3naOGWdEjrCgNCM
        /aV4EnjYUBESxFSyoZImoCj9xqgUJEGaaeVlBL1WSzrEP/AymdGyszpbxJiuOa9U
        GNGjUzBRMB0GA1UdDgQWBBTurTFeOu47YZcoo7b5QnBxElGcgjAfBgNVHSMEGDAW
        gBTurTFeOu47YZcoo7b5QnBxElGcgjAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49
        BAMCA0kAMEYCIQD3fcL6L3hbuMZtTGcuP7MXFt6Z2U9L5OSb6ppBQVoJUAIhAOyX
        L0Pd7X2GmaWrgHRJ5j93P9OWQsVx5cUlITzIvxR9
        -----END CERTIFICATE-----
        """

    static let serverPEM = """
        -----BEGIN CERTIFICATE-----
        MIIBmDCCAT2gAwIBAgIUHvE7lIbqLbpVljkkksAsIvAM7EAwCgYIKoZIzj0EAwIw
        ITEfMB0GA1UEAwwWcm9ja2V0bXEtc3dpZnQgdGVzdCBDQTAgFw0yNjEyMDMxMjQw
        MDVaGA8yMTI2MTEwOTEyNDAwNVowFDESMBAGA1UEAwwJbG9jYWxob3N0MFkwEwYH
        KoZIzj0CAQYIKoZIzj0DAQcDQgAEgZ1MiYxVbkh9hX0ZSSUOlLAneubJyHaV/CI6
        /AbID47WTJGiJSadevmHcetPo5utzcnqrbfV0s9v5VZL4uL4pKNeMFwwGgYDVR0R
        BBMwEYIJbG9jYWxob3N0hwR/AAABMB0GA1UdDgQWBBTOmfTMMvy+d1fNDXtLukae
        9zh3oDAfBgNVHSMEGDAWgBTurTFeOu47YZcoo7b5QnBxElGcgjAKBggqhkjOPQQD
        AgNJADBGAiEAmo+0RIhvCnYuhvJx5D2pDND0ienxmGEbfpH0CoDPfUkCIQCzN4XS
        M/xH7oiuDSO3jjayb53/8wjd9uIOdSe5+8hHyQ==
        -----END CERTIFICATE-----
        """

    static let serverKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgDy2mtYCB+Dlnk26U
        yBimzw0nYhl41tdLvhYjvlYDAYuhRANCAASBnUyJjFVuSH2FfRlJJQ6UsCd65snI
        dpX8Ijr8BsgPjtZMkaIlJp16+Ydx60+jm63Nyeqtt9XSz2/lVkvi4vik
        -----END PRIVATE KEY-----
        """

    static let serverEncryptedKeyPEM = """
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAjY6onpyw31gAICCAAw
        DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEF6j3og9ugdP00oGeDPoOcEEgZBG
        yZryypZCTRXmR5g5SVMLRdpkLKNyvvEmClIXJmrRYBg69DgS9qbDbp/aDuQRzrbU
        ayJTeXsl6y4LRstqFIIslno//Qya0pXLhgIQn65347lEx9Iq7CEvsZUa3UfE1LX8
        Sh74TDZrUbLHAe4RmTyeaZ4c8l+MaG/evN6s7r550iqL64OrwX517k+s/n1ngTE=
        -----END ENCRYPTED PRIVATE KEY-----
        """

    static let clientPEM = """
        -----BEGIN CERTIFICATE-----
        MIIBQTCB6QIUHvE7lIbqLbpVljkkksAsIvAM7EEwCgYIKoZIzj0EAwIwITEfMB0G
        A1UEAwwWcm9ja2V0bXEtc3dpZnQgdGVzdCBDQTAgFw0yNjEyMDMxMjQwMDVaGA8y
        MTI2MTEwOTEyNDAwNVowJTEjMCEGA1UEAwwacm9ja2V0bXEtc3dpZnQgdGVzdCBj
        bGllbnQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQ5oKMw7mj8CgSImBXwEmHV
        OY4KtI81SicxcQkwT1RmUy+a+BZdaKKVMosLE3YD5aarujQ5asIaRiqVv+d5Fxqe
        MAoGCCqGSM49BAMCA0cAMEQCIF7NHXugFWktLYQH+gOHYUJd1Wnc9+t6H0UMUm3R
        IJRMAiBeqMnBGNkq+y/bggaTZvfDzLqEVV830bEp7yB56MZ4Dg==
        -----END CERTIFICATE-----
        """

    static let clientKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgbLa7H070whTUu51p
        QzgN5NnedzliVHwyC/sFEzHz78ehRANCAAQ5oKMw7mj8CgSImBXwEmHVOY4KtI81
        SicxcQkwT1RmUy+a+BZdaKKVMosLE3YD5aarujQ5asIaRiqVv+d5Fxqe
        -----END PRIVATE KEY-----
        """

    static let roguePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBhTCCASugAwIBAgIUHhwTiNO+0mmf2o2WvaFC9DH4em8wCgYIKoZIzj0EAwIw
        FzEVMBMGA1UEAwwMcm9ndWUgY2xpZW50MCAXDTI2MTIwMzEyNDAwNVoYDzIxMjYx
        MTA5MTI0MDA1WjAXMRUwEwYDVQQDDAxyb2d1ZSBjbGllbnQwWTATBgcqhkjOPQIB
        BggqhkjOPQMBBwNCAARoGYkDBgGTZnaYqg+xPeEUH20X4AV0z1pbeR/Qkek6//dQ
        vZevpOtQg8MnRJImsr3cnFy034k4HJltB/yRO2Gyo1MwUTAdBgNVHQ4EFgQURyJ9
        GanSD9eXeZxsJOObezm1piUwHwYDVR0jBBgwFoAURyJ9GanSD9eXeZxsJOObezm1
        piUwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiA3bRUr/TvZz7fp
        QTZjgcNiOxr5pnAdqhtTJJ0Phvr4BgIhAPwO5egAqXiQru7ZEXBeZv0Vy+MSsSfb
        4g1E5zfM1cYt
        -----END CERTIFICATE-----
        """

    static let rogueKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg2djGOnwlSDKQK7lB
        ZnqYM4CayWuCCT3l1wZKYej7Ww6hRANCAARoGYkDBgGTZnaYqg+xPeEUH20X4AV0
        z1pbeR/Qkek6//dQvZevpOtQg8MnRJImsr3cnFy034k4HJltB/yRO2Gy
        -----END PRIVATE KEY-----
        """
}
