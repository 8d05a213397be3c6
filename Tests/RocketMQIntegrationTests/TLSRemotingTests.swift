//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import NIOPosix
import RocketMQCommon
import RocketMQRemoting
import RocketMQTestSupport
import Testing

/// `tls.server.mode` over real TCP on 127.0.0.1: one server, our `RemotingClient` with and without TLS.
///
/// The echo processor answers whether its connection has the TLS handler (upstream's pipeline name
/// `sslHandler`), so a success also proves which path the bytes took.
@Suite("TLS: server modes and client authentication", .timeLimit(.minutes(1)))
struct TLSRemotingTests {
    static let echo = RequestCode(1000)

    /// A started server whose echo answers remark "tls" or "plain".
    static func startServer(_ tls: RemotingServerTLS) async throws -> RemotingServer {
        var table = ProcessorTable()
        try table.register(ClosureProcessor { request, context in
            let pipeline = context.channel.pipeline
            let secured = (try? await pipeline.context(name: "sslHandler").get()) != nil
            let peeking = (try? await pipeline.context(name: "handshakeHandler").get()) != nil
            var response = RemotingCommand.response(remark: secured ? "tls" : "plain", body: request.body)
            response.extFields = request.extFields
            // The first-byte peek must have left the pipeline before any frame was decoded.
            response.extFields["peeking"] = peeking ? "yes" : "no"
            return response
        }, for: echo, lane: ExecutionLane(name: "echo", capacity: 100))
        let server = RemotingServer(configuration: .init(host: "127.0.0.1", port: 0, tls: tls), processors: table,
                                    group: MultiThreadedEventLoopGroup.singleton, logger: Logger.quiet("tls-server"))
        try await server.start()
        return server
    }

    static func client(_ tls: TLSSystemConfig?) -> RemotingClient {
        RemotingClient(group: MultiThreadedEventLoopGroup.singleton, logger: Logger.quiet("tls-client"),
                       connectTimeout: .seconds(2), tls: tls)
    }

    /// Test mode as upstream's default: built-in certificate on the server, trust-all clients.
    static func serverTLS(_ mode: TLSMode, _ configure: (inout TLSSystemConfig) -> Void = { _ in }) throws -> RemotingServerTLS {
        var config = TLSSystemConfig()
        config.serverMode = mode
        configure(&config)
        return try RemotingServerTLS(config: config, logger: Logger.quiet("tls"))
    }

    static let testModeClient: TLSSystemConfig = {
        var config = TLSSystemConfig()
        config.enable = true
        return config
    }()

    /// One echo round trip; returns the server's "tls"/"plain" remark.
    static func roundTrip(_ client: RemotingClient, _ server: RemotingServer) async throws -> String? {
        var request = RemotingCommand.request(echo)
        request.extFields = ["k": "v"]
        request.body = ByteBuffer(string: "hello over the wire")
        let response = try await client.invoke("127.0.0.1:\(server.localPort!)", request, timeoutMillis: 3000)
        #expect(response.body.map { String(buffer: $0) } == "hello over the wire")
        #expect(response.extFields["k"] == "v")
        #expect(response.extFields["peeking"] == "no")
        return response.remark
    }

    /// Waits until the server has no open connection (a refused client is gone).
    static func expectDrained(_ server: RemotingServer) async {
        let drained = await clientEventually(.seconds(5)) { server.connectionCount == 0 }
        #expect(drained, "server still holds \(server.connectionCount) connections")
    }

    @Test("permissive: a TLS client and a plaintext client share one port")
    func permissiveAcceptsBoth() async throws {
        let server = try await Self.startServer(try Self.serverTLS(.permissive))
        let plain = Self.client(nil)
        let secure = Self.client(Self.testModeClient)
        #expect(try await Self.roundTrip(plain, server) == "plain")
        #expect(try await Self.roundTrip(secure, server) == "tls")
        // Both stay usable on their connections (the peek handler left after the first byte).
        for _ in 0..<3 {
            #expect(try await Self.roundTrip(plain, server) == "plain")
            #expect(try await Self.roundTrip(secure, server) == "tls")
        }
        #expect(server.connectionCount == 2)
        await plain.shutdown()
        await secure.shutdown()
        await server.shutdown()
    }

    @Test("enforcing: a plaintext client is disconnected, the server carries on, TLS works")
    func enforcingRefusesPlaintext() async throws {
        let server = try await Self.startServer(try Self.serverTLS(.enforcing))
        let plain = Self.client(nil)
        await #expect(throws: RemotingError.self) { _ = try await Self.roundTrip(plain, server) }
        await Self.expectDrained(server)
        // Raw garbage too: closed, not crashed.
        let raw = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: server.localPort!).get()
        try await raw.writeAndFlush(ByteBuffer(bytes: [0, 0, 0, 8, 0, 0, 0, 0, 1, 2, 3, 4]))
        try await raw.closeFuture.get()
        let secure = Self.client(Self.testModeClient)
        #expect(try await Self.roundTrip(secure, server) == "tls")
        await plain.shutdown()
        await secure.shutdown()
        await server.shutdown()
    }

    @Test("a client stalled mid-handshake and one that sent garbage after the TLS byte do not hold up others")
    func stalledHandshakesDoNotBlock() async throws {
        let server = try await Self.startServer(try Self.serverTLS(.enforcing))
        let port = server.localPort!
        // A ClientHello's first bytes, then silence; and a record header followed by garbage.
        let stalled = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
        try await stalled.writeAndFlush(ByteBuffer(bytes: [0x16, 0x03, 0x01, 0x02, 0x00, 0x01]))
        let garbage = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
        try await garbage.writeAndFlush(ByteBuffer(bytes: [0x16] + Array(repeating: 0xAB, count: 64)))
        try await garbage.closeFuture.get()  // the TLS handler rejects it and the server closes it
        // While the stalled handshake is still open, TLS clients are served, one after another.
        let secure = Self.client(Self.testModeClient)
        for _ in 0..<3 { #expect(try await Self.roundTrip(secure, server) == "tls") }
        #expect(stalled.isActive, "the stalled client is simply left waiting (the idle timeout closes it)")
        try await stalled.close()
        await secure.shutdown()
        await server.shutdown()
    }

    @Test("disabled: a TLS handshake reads as a bad frame and the connection is closed; plaintext works")
    func disabledRefusesTLS() async throws {
        let server = try await Self.startServer(.disabled)
        let secure = Self.client(Self.testModeClient)
        await #expect(throws: RemotingError.self) { _ = try await Self.roundTrip(secure, server) }
        await Self.expectDrained(server)
        let plain = Self.client(nil)
        #expect(try await Self.roundTrip(plain, server) == "plain")
        await plain.shutdown()
        await secure.shutdown()
        await server.shutdown()
    }

    @Test("need.client.auth=require with authClient: no certificate or an untrusted one is refused")
    func mutualAuthentication() async throws {
        let dir = try TemporaryDirectory(prefix: "rmq-tls")
        defer { dir.remove() }
        let files = try TLSTestFiles.write(into: dir)
        let server = try await Self.startServer(try Self.serverTLS(.enforcing) {
            $0.testModeEnable = false
            $0.serverCertPath = files.serverCert
            $0.serverKeyPath = files.serverKey
            $0.serverNeedClientAuth = .require
            $0.serverAuthClient = true
            $0.serverTrustCertPath = files.caCert
        })
        var base = TLSSystemConfig()
        base.enable = true
        base.testModeEnable = false

        let anonymous = Self.client(base)
        await #expect(throws: RemotingError.self) { _ = try await Self.roundTrip(anonymous, server) }

        var rogue = base
        rogue.clientCertPath = files.rogueCert
        rogue.clientKeyPath = files.rogueKey
        let rogueClient = Self.client(rogue)
        await #expect(throws: RemotingError.self) { _ = try await Self.roundTrip(rogueClient, server) }
        await Self.expectDrained(server)

        var trusted = base
        trusted.clientCertPath = files.clientCert
        trusted.clientKeyPath = files.clientKey
        trusted.clientAuthServer = true
        trusted.clientTrustCertPath = files.caCert
        let trustedClient = Self.client(trusted)
        #expect(try await Self.roundTrip(trustedClient, server) == "tls")

        for c in [anonymous, rogueClient, trustedClient] { await c.shutdown() }
        await server.shutdown()
    }

    @Test("need.client.auth=require without authClient asks for a certificate but accepts any (upstream)")
    func requireWithoutAuthClientAcceptsAnyCertificate() async throws {
        let dir = try TemporaryDirectory(prefix: "rmq-tls")
        defer { dir.remove() }
        let files = try TLSTestFiles.write(into: dir)
        let server = try await Self.startServer(try Self.serverTLS(.enforcing) {
            $0.testModeEnable = false
            $0.serverCertPath = files.serverCert
            $0.serverKeyPath = files.serverKey
            $0.serverNeedClientAuth = .require
        })
        var base = TLSSystemConfig()
        base.enable = true
        base.testModeEnable = false
        let anonymous = Self.client(base)
        await #expect(throws: RemotingError.self) { _ = try await Self.roundTrip(anonymous, server) }
        var rogue = base
        rogue.clientCertPath = files.rogueCert
        rogue.clientKeyPath = files.rogueKey
        let rogueClient = Self.client(rogue)
        #expect(try await Self.roundTrip(rogueClient, server) == "tls")
        await anonymous.shutdown()
        await rogueClient.shutdown()
        await server.shutdown()
    }

    @Test("need.client.auth=optional with authClient: no certificate is fine, an untrusted one is refused")
    func optionalClientAuthentication() async throws {
        let dir = try TemporaryDirectory(prefix: "rmq-tls")
        defer { dir.remove() }
        let files = try TLSTestFiles.write(into: dir)
        let server = try await Self.startServer(try Self.serverTLS(.permissive) {
            $0.testModeEnable = false
            $0.serverCertPath = files.serverCert
            $0.serverKeyPath = files.serverKey
            $0.serverNeedClientAuth = .optional
            $0.serverAuthClient = true
            $0.serverTrustCertPath = files.caCert
        })
        var base = TLSSystemConfig()
        base.enable = true
        base.testModeEnable = false
        let anonymous = Self.client(base)
        #expect(try await Self.roundTrip(anonymous, server) == "tls")
        var rogue = base
        rogue.clientCertPath = files.rogueCert
        rogue.clientKeyPath = files.rogueKey
        let rogueClient = Self.client(rogue)
        await #expect(throws: RemotingError.self) { _ = try await Self.roundTrip(rogueClient, server) }
        var trusted = base
        trusted.clientCertPath = files.clientCert
        trusted.clientKeyPath = files.clientKey
        let trustedClient = Self.client(trusted)
        #expect(try await Self.roundTrip(trustedClient, server) == "tls")
        for c in [anonymous, rogueClient, trustedClient] { await c.shutdown() }
        await server.shutdown()
    }

    @Test("tls.client.authServer: a server certificate from another CA is refused")
    func clientVerifiesServer() async throws {
        let dir = try TemporaryDirectory(prefix: "rmq-tls")
        defer { dir.remove() }
        let files = try TLSTestFiles.write(into: dir)
        let server = try await Self.startServer(try Self.serverTLS(.enforcing) {
            $0.testModeEnable = false
            $0.serverCertPath = files.serverCert
            $0.serverKeyPath = files.serverEncryptedKey
            $0.serverKeyPassword = TLSTestFiles.encryptedKeyPassword
        })
        var verifying = TLSSystemConfig()
        verifying.enable = true
        verifying.testModeEnable = false
        verifying.clientAuthServer = true
        verifying.clientTrustCertPath = files.caCert
        let good = Self.client(verifying)
        #expect(try await Self.roundTrip(good, server) == "tls")

        var wrongCA = verifying
        wrongCA.clientTrustCertPath = files.rogueCert
        let bad = Self.client(wrongCA)
        await #expect(throws: RemotingError.self) { _ = try await Self.roundTrip(bad, server) }
        await good.shutdown()
        await bad.shutdown()
        await server.shutdown()
    }

    @Test("bad server TLS settings fail set-up naming the key")
    func badServerSettingsNameTheKey() throws {
        let dir = try TemporaryDirectory(prefix: "rmq-tls")
        defer { dir.remove() }
        let files = try TLSTestFiles.write(into: dir)
        func failure(_ configure: (inout TLSSystemConfig) -> Void) -> ConfigError? {
            do { _ = try Self.serverTLS(.permissive) { $0.testModeEnable = false; configure(&$0) } } catch { return error as? ConfigError }
            return nil
        }
        let missing = failure { $0.serverCertPath = dir.file("nope.pem"); $0.serverKeyPath = files.serverKey }
        #expect(missing?.key == "tls.server.certPath")
        #expect(missing?.description.contains("nope.pem") == true)
        #expect(failure { $0.serverKeyPath = files.serverKey }?.key == "tls.server.certPath")
        #expect(failure { $0.serverCertPath = files.serverCert }?.key == "tls.server.keyPath")
        #expect(failure { $0.serverCertPath = files.serverKey; $0.serverKeyPath = files.serverKey }?.key == "tls.server.certPath")
        let noPassword = failure { $0.serverCertPath = files.serverCert; $0.serverKeyPath = files.serverEncryptedKey }
        #expect(noPassword?.key == "tls.server.keyPath")
        #expect(noPassword?.reason.contains("tls.server.keyPassword") == true)
        let wrongPassword = failure {
            $0.serverCertPath = files.serverCert
            $0.serverKeyPath = files.serverEncryptedKey
            $0.serverKeyPassword = "s3cr3t-guess"
        }
        #expect(wrongPassword?.key == "tls.server.keyPath")
        #expect(wrongPassword?.reason.contains("tls.server.keyPassword is wrong") == true)
        #expect(wrongPassword?.description.contains("s3cr3t-guess") == false, "the password must not be echoed")
        #expect(failure {
            $0.serverCertPath = files.serverCert
            $0.serverKeyPath = files.serverKey
            $0.serverNeedClientAuth = .require
            $0.serverAuthClient = true
            $0.serverTrustCertPath = dir.file("missing-ca.pem")
        }?.key == "tls.server.trustCertPath")
        // Disabled mode reads no file at all.
        #expect(throws: Never.self) { _ = try Self.serverTLS(.disabled) { $0.serverCertPath = "/nonexistent" } }
    }

    @Test("a client with a bad tls.client.* key fails its connects naming the key")
    func badClientSettingsNameTheKey() async throws {
        var config = Self.testModeClient
        config.testModeEnable = false
        config.clientCertPath = "/nonexistent/client.pem"
        config.clientKeyPath = "/nonexistent/client.key"
        let client = Self.client(config)
        #expect(throws: ConfigError.self) { try client.checkTLS() }
        do {
            _ = try await client.invoke("127.0.0.1:1", .request(Self.echo))
            Issue.record("connect should have failed")
        } catch {
            #expect("\(error)".contains("tls.client.certPath"), "\(error)")
        }
        await client.shutdown()
    }
}
