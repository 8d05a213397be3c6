//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOSSL
import RocketMQCommon

/// Builds swift-nio-ssl contexts from a ``TLSSystemConfig`` (upstream `TlsHelper.buildSslContext`).
///
/// Files are read once here, at start-up, so a bad path or key fails start-up naming its key instead
/// of failing every handshake later (upstream only logs and then refuses TLS clients).
enum TLSContextFactory {
    /// What a server needs per connection: the context and whether any client certificate is accepted.
    struct Server {
        let context: NIOSSLContext
        /// Upstream's `InsecureTrustManagerFactory` on the server: a certificate is asked for (or
        /// required) but not checked (`tls.server.authClient=false`, or test mode).
        let acceptAnyClientCertificate: Bool
    }

    static func makeServer(_ config: TLSSystemConfig, logger: Logger) throws(ConfigError) -> Server {
        typealias C = TLSSystemConfig
        logSettings(config, logger: logger)
        if config.testModeEnable {
            if !config.serverCertPath.isEmpty || !config.serverKeyPath.isEmpty {
                logger.warning("\(C.serverCertPathKey)/\(C.serverKeyPathKey) ignored while \(C.testModeEnableKey)=true: using the built-in self-signed test certificate")
            }
            let chain = try certificates(pem: TLSTestCertificate.certificatePEM, key: C.testModeEnableKey)
            let key = try privateKey(pem: TLSTestCertificate.privateKeyPEM, key: C.testModeEnableKey)
            var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                               privateKey: .privateKey(key))
            tls.minimumTLSVersion = .tlsv12
            tls.certificateVerification = .optionalVerification  // upstream: ClientAuth.OPTIONAL, trust all
            tls.trustRoots = .certificates([])  // the accept-all callback decides; no system store needed
            return Server(context: try context(tls, key: C.testModeEnableKey), acceptAnyClientCertificate: true)
        }
        guard !config.serverCertPath.isEmpty else {
            throw ConfigError(key: C.serverCertPathKey, value: "",
                              reason: "required when \(C.serverModeKey)=\(config.serverMode.rawValue) and \(C.testModeEnableKey)=false")
        }
        guard !config.serverKeyPath.isEmpty else {
            throw ConfigError(key: C.serverKeyPathKey, value: "",
                              reason: "required when \(C.serverModeKey)=\(config.serverMode.rawValue) and \(C.testModeEnableKey)=false")
        }
        let chain = try certificates(file: config.serverCertPath, key: C.serverCertPathKey)
        let key = try privateKey(file: config.serverKeyPath, key: C.serverKeyPathKey,
                                 password: config.serverKeyPassword, passwordKey: C.serverKeyPasswordKey)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                           privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        switch config.serverNeedClientAuth {
        case .none: tls.certificateVerification = .none
        case .optional: tls.certificateVerification = .optionalVerification
        case .require: tls.certificateVerification = .noHostnameVerification
        }
        if config.serverNeedClientAuth != .none && config.serverAuthClient {
            tls.trustRoots = try trustRoots(config.serverTrustCertPath, key: C.serverTrustCertPathKey)
            tls.sendCANameList = !config.serverTrustCertPath.isEmpty
        }
        let acceptAny = config.serverNeedClientAuth != .none && !config.serverAuthClient
        if acceptAny { tls.trustRoots = .certificates([]) }
        let contextKey = config.serverAuthClient ? C.serverTrustCertPathKey : C.serverCertPathKey
        return Server(context: try context(tls, key: contextKey), acceptAnyClientCertificate: acceptAny)
    }

    static func makeClient(_ config: TLSSystemConfig, logger: Logger) throws(ConfigError) -> NIOSSLContext {
        typealias C = TLSSystemConfig
        logSettings(config, logger: logger)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if config.testModeEnable {
            // Upstream: a test-mode client trusts every server and presents no certificate.
            if !config.clientCertPath.isEmpty || config.clientAuthServer {
                logger.warning("\(C.clientCertPathKey)/\(C.clientAuthServerKey) ignored while \(C.testModeEnableKey)=true (set it to false to use them)")
            }
            tls.certificateVerification = .none
            return try context(tls, key: C.testModeEnableKey)
        }
        if config.clientAuthServer {
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = try trustRoots(config.clientTrustCertPath, key: C.clientTrustCertPathKey)
        } else {
            tls.certificateVerification = .none
        }
        switch (config.clientCertPath.isEmpty, config.clientKeyPath.isEmpty) {
        case (true, true): break
        case (false, true):
            throw ConfigError(key: C.clientKeyPathKey, value: "", reason: "required when \(C.clientCertPathKey) is set")
        case (true, false):
            throw ConfigError(key: C.clientCertPathKey, value: "", reason: "required when \(C.clientKeyPathKey) is set")
        case (false, false):
            let chain = try certificates(file: config.clientCertPath, key: C.clientCertPathKey)
            tls.certificateChain = chain.map { .certificate($0) }
            tls.privateKey = .privateKey(try privateKey(file: config.clientKeyPath, key: C.clientKeyPathKey,
                                                        password: config.clientKeyPassword,
                                                        passwordKey: C.clientKeyPasswordKey))
        }
        return try context(tls, key: config.clientAuthServer ? C.clientTrustCertPathKey : C.clientCertPathKey)
    }

    /// Upstream logs test mode at info and the rest at debug.
    private static func logSettings(_ config: TLSSystemConfig, logger: Logger) {
        logger.info("Log the final used tls related configuration")
        for (key, value) in config.loggableSettings {
            if key == TLSSystemConfig.testModeEnableKey {
                logger.info("\(key) = \(value)")
            } else {
                logger.debug("\(key) = \(value)")
            }
        }
    }

    private static func certificates(file path: String, key: String) throws(ConfigError) -> [NIOSSLCertificate] {
        guard let bytes = FileIO.readBytes(path) else {
            throw ConfigError(key: key, value: path, reason: "cannot read: \(FileIO.errnoText())")
        }
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMBytes(bytes) } catch {
            throw ConfigError(key: key, value: path, reason: "not a PEM certificate chain (\(error))")
        }
        guard !chain.isEmpty else { throw ConfigError(key: key, value: path, reason: "no PEM certificate in the file") }
        return chain
    }

    private static func certificates(pem: String, key: String) throws(ConfigError) -> [NIOSSLCertificate] {
        do { return try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)) } catch {
            throw ConfigError(key: key, value: "true", reason: "built-in test certificate: \(error)")
        }
    }

    private static func privateKey(pem: String, key: String) throws(ConfigError) -> NIOSSLPrivateKey {
        do { return try NIOSSLPrivateKey(bytes: Array(pem.utf8), format: .pem) } catch {
            throw ConfigError(key: key, value: "true", reason: "built-in test key: \(error)")
        }
    }

    /// Reads a PEM key (PKCS#8 as upstream, or PKCS#1 / SEC1), decrypting it with `password` when it is
    /// encrypted. A callback is always given so BoringSSL never prompts on stdin for a missing password.
    private static func privateKey(file path: String, key: String, password: String,
                                   passwordKey: String) throws(ConfigError) -> NIOSSLPrivateKey {
        guard let bytes = FileIO.readBytes(path) else {
            throw ConfigError(key: key, value: path, reason: "cannot read: \(FileIO.errnoText())")
        }
        let passwordBytes = Array(password.utf8)
        do {
            return try NIOSSLPrivateKey(bytes: bytes, format: .pem) { setter in setter(passwordBytes) }
        } catch {
            let hint = password.isEmpty
                ? "not a PEM private key, or encrypted and \(passwordKey) is not set"
                : "not a PEM private key, or \(passwordKey) is wrong"
            throw ConfigError(key: key, value: path, reason: "\(hint) (\(error))")
        }
    }

    /// The trust store of a verifying peer: the PEM file named by `key`, or the system's roots when empty.
    private static func trustRoots(_ path: String, key: String) throws(ConfigError) -> NIOSSLTrustRoots {
        guard !path.isEmpty else { return .default }
        return .certificates(try certificates(file: path, key: key))
    }

    private static func context(_ tls: TLSConfiguration, key: String) throws(ConfigError) -> NIOSSLContext {
        do { return try NIOSSLContext(configuration: tls) } catch {
            throw ConfigError(key: key, value: "", reason: "cannot set up TLS: \(error)")
        }
    }
}
