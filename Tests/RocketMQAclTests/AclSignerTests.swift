//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
@testable import RocketMQAcl
import RocketMQCommon
import RocketMQRemoting
import Testing

/// Expected values were computed apart from this code, with Python's `hmac`/`hashlib`/`base64`
/// (the RFC 2202 digests checked against the RFC text).
@Suite("AclSigner: HmacSHA1 + Base64 as upstream")
struct AclSignerTests {
    @Test func rfc2202Vectors() {
        // RFC 2202 test case 2: effcdf6ae5eb2fa2d27416d5f184df9c259a7c79.
        #expect(AclSigner.calSignature(Array("what do ya want for nothing?".utf8), secretKey: "Jefe")
                == "7/zfauXrL6LSdBbV8YTfnCWafHk=")
        // Test case 1: key 0x0b * 20, "Hi There" -> b617318655057264e28bc0b6fb378c8ef146be00 (key as text).
        let key1 = String(decoding: [UInt8](repeating: 0x0b, count: 20), as: UTF8.self)
        #expect(AclSigner.calSignature(Array("Hi There".utf8), secretKey: key1) == "thcxhlUFcmTii8C2+zeMjvFGvgA=")
    }

    @Test func base64Padding() {
        let cases: [(String, String)] = [("", ""), ("a", "YQ=="), ("ab", "YWI="), ("abc", "YWJj"), ("abcd", "YWJjZA==")]
        for (plain, encoded) in cases { #expect(Base64.encode(Array(plain.utf8)) == encoded) }
    }

    /// Values sorted by key (upper case before lower), Signature and _UNIQUE_KEY_QUERY left out, body last.
    @Test func requestContentAndSignatureMatchUpstreamAlgorithm() {
        let fields: ExtFields = ["AccessKey": "RocketMQ", "b": "TopicTest", "a": "ProducerGroup", "Signature": "ignored",
                                 "_UNIQUE_KEY_QUERY": "false", "OnsChannel": "ALIYUN"]
        let request = RemotingCommand(code: 310, extFields: fields, body: ByteBuffer(string: "hello"))
        #expect(AclUtils.combineRequestContent(request) == Array("RocketMQALIYUNProducerGroupTopicTesthello".utf8))
        #expect(AclUtils.signature(of: request, with: AclSigner(secretKey: "12345678")) == "QTJkpawiCPmyoMDQljYaykS9p10=")
    }

    @Test func nonASCIIValuesAreSignedAsUTF8() {
        let request = RemotingCommand(code: 11, extFields: ["AccessKey": "RocketMQ", "topic": "Tést", "consumerGroup": "g1"])
        #expect(AclUtils.signature(of: request, with: AclSigner(secretKey: "12345678")) == "7qJElPQVkjshZONBcuaJa/WPXDI=")
    }

    @Test func clientHookAddsAccessKeyThenSignsEverything() throws {
        let hook = AclClientRPCHook(credentials: SessionCredentials(accessKey: "RocketMQ", secretKey: "12345678"))
        var request = RemotingCommand(code: 310, extFields: ["b": "TopicTest", "a": "ProducerGroup", "OnsChannel": "ALIYUN"],
                                      body: ByteBuffer(string: "hello"))
        try hook.doBeforeRequest(remoteAddress: "127.0.0.1:10911", request: &request)
        #expect(request.extFields["AccessKey"] == "RocketMQ")
        #expect(request.extFields["SecurityToken"] == nil)
        #expect(request.extFields["Signature"] == "QTJkpawiCPmyoMDQljYaykS9p10=")
        // Signing again (a retry) gives the same signature: the old one is not signed.
        try hook.doBeforeRequest(remoteAddress: "127.0.0.1:10911", request: &request)
        #expect(request.extFields["Signature"] == "QTJkpawiCPmyoMDQljYaykS9p10=")
    }

    /// A signed request still verifies after the wire codecs (the broker reads decoded, offset-based fields).
    @Test(arguments: [SerializeType.json, .rocketmq])
    func signatureSurvivesTheWire(_ type: SerializeType) throws {
        let hook = AclClientRPCHook(credentials: SessionCredentials(accessKey: "RocketMQ", secretKey: "12345678",
                                                                    securityToken: "tok"))
        var request = RemotingCommand.request(.pullMessage)
        request.extFields = ["topic": "TopicTest", "consumerGroup": "g1", "queueId": "3", "queueOffset": "0"]
        request.serializeType = type
        try hook.doBeforeRequest(remoteAddress: "x:1", request: &request)
        var buffer = ByteBuffer()
        RemotingFrameParser.encode(request, into: &buffer)
        let decoded = try #require(try RemotingFrameParser().parse(&buffer))
        #expect(decoded.extFields["SecurityToken"] == "tok")
        let expected = AclUtils.signature(of: decoded, with: AclSigner(secretKey: "12345678"))
        #expect(decoded.extFields["Signature"] == expected)
        #expect(expected == request.extFields["Signature"])
    }
}
