//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon

/// A message the broker asks the store to append (Java `MessageExtBrokerInner`).
///
/// The broker has already validated it and encoded its properties (`propertiesString`, PROTOCOL.md
/// §6.3). The store assigns QUEUEOFFSET, PHYSICALOFFSET and STORETIMESTAMP under the commit-log lock.
/// `tagsCode` is kept for the broker's own use; consume-queue units take their tag code from the
/// stored `TAGS` property, so that re-dispatching after a crash produces the same units.
public struct MessageExtBrokerInner: Sendable {
    public var topic: String
    public var queueID: Int32
    public var flag: Int32
    public var body: ByteBuffer
    /// Properties already encoded in the wire form (`name\u{1}value\u{2}…`).
    public var propertiesString: String
    public var tagsCode: Int64
    public var sysFlag: Int32
    public var bornTimestamp: Int64
    public var bornHost: SocketAddressBytes
    public var storeHost: SocketAddressBytes
    public var reconsumeTimes: Int32
    public var preparedTransactionOffset: Int64

    public init(
        topic: String, queueID: Int32, flag: Int32 = 0, body: ByteBuffer, propertiesString: String = "",
        tagsCode: Int64 = 0, sysFlag: Int32 = 0, bornTimestamp: Int64 = Clock.millis(),
        bornHost: SocketAddressBytes = .zero, storeHost: SocketAddressBytes = .zero, reconsumeTimes: Int32 = 0,
        preparedTransactionOffset: Int64 = 0
    ) {
        self.topic = topic
        self.queueID = queueID
        self.flag = flag
        self.body = body
        self.propertiesString = propertiesString
        self.tagsCode = tagsCode
        self.sysFlag = sysFlag
        self.bornTimestamp = bornTimestamp
        self.bornHost = bornHost
        self.storeHost = storeHost
        self.reconsumeTimes = reconsumeTimes
        self.preparedTransactionOffset = preparedTransactionOffset
    }

    /// Decoded view of ``propertiesString``.
    public var properties: [String: String] {
        get { MessageProperties.decode(self.propertiesString) }
        set { self.propertiesString = MessageProperties.encode(newValue) }
    }

    /// Java `MessageExtBrokerInner.tagsString2tagsCode`: the tag's Java hash, 0 without a tag.
    public static func tagsString2tagsCode(_ tags: String?) -> Int64 {
        guard let tags, !tags.isEmpty else { return 0 }
        return Int64(JavaHash.hashCode(tags))
    }
}

/// A batch to append with consecutive queue offsets under one lock hold (Java `MessageExtBatch`).
///
/// The broker expands the client's batch body (PROTOCOL.md §6.5) into ``messages`` before calling
/// the store, using ``expand(body:topic:queueID:sysFlag:bornTimestamp:bornHost:storeHost:extraProperties:)``
/// or its own code; every message must carry this batch's topic and queue. The whole batch lands in
/// one commit-log file, so its encoded size must fit one file.
public struct MessageExtBatch: Sendable {
    public var topic: String
    public var queueID: Int32
    public var messages: [MessageExtBrokerInner]

    public init(topic: String, queueID: Int32, messages: [MessageExtBrokerInner]) {
        self.topic = topic
        self.queueID = queueID
        self.messages = messages
    }

    /// Expands a batch send body (§6.5) into inner messages sharing the batch's header fields.
    ///
    /// `extraProperties` (already encoded, e.g. `CLUSTER`) is appended to each record's properties with
    /// a U+0002 separator, as upstream does. Returns nil when the body is malformed.
    public static func expand(
        body: ByteBuffer, topic: String, queueID: Int32, sysFlag: Int32, bornTimestamp: Int64,
        bornHost: SocketAddressBytes, storeHost: SocketAddressBytes, extraProperties: String = ""
    ) -> MessageExtBatch? {
        var buffer = body
        var messages: [MessageExtBrokerInner] = []
        while buffer.readableBytes > 0 {
            guard let totalSize: Int32 = buffer.readInteger(), totalSize >= 20,
                  let _: Int32 = buffer.readInteger(), let _: Int32 = buffer.readInteger(),
                  let flag: Int32 = buffer.readInteger(), let bodyLength: Int32 = buffer.readInteger(),
                  bodyLength >= 0, let recordBody = buffer.readSlice(length: Int(bodyLength)),
                  let propertiesLength: Int16 = buffer.readInteger(), propertiesLength >= 0,
                  let props = buffer.readString(length: Int(propertiesLength))
            else { return nil }
            var properties = props
            if !extraProperties.isEmpty {
                if !properties.isEmpty && !properties.hasSuffix("\u{2}") { properties += "\u{2}" }
                properties += extraProperties
            }
            let tags = MessageProperties.value(of: MessageConst.tags, inUTF8: Array(properties.utf8))
            messages.append(
                MessageExtBrokerInner(
                    topic: topic, queueID: queueID, flag: flag, body: recordBody, propertiesString: properties,
                    tagsCode: MessageExtBrokerInner.tagsString2tagsCode(tags), sysFlag: sysFlag,
                    bornTimestamp: bornTimestamp, bornHost: bornHost, storeHost: storeHost))
        }
        return MessageExtBatch(topic: topic, queueID: queueID, messages: messages)
    }
}
