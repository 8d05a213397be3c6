//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQCommon
import RocketMQCompression
import RocketMQRemoting

/// One PULL_MESSAGE and the client-side post-processing of its body (Java `PullAPIWrapper`).
struct PullAPIWrapper: Sendable {
    let instance: MQClientInstance
    let group: String
    var compressors: CompressorRegistry { instance.compressors }

    /// Pulls from the queue's master (or any replica) and returns decoded, filtered messages.
    func pull(queue: MessageQueue, subscription: SubscriptionData, offset: Int64, maxNums: Int32,
              commitOffset: Int64?, suspend: Bool, postSubscription: Bool, suspendTimeoutMillis: Int64,
              timeoutMillis: Int64) async throws(ClientError) -> PullResult {
        var address = instance.subscribeAddress(queue.brokerName)
        if address == nil {
            await instance.updateTopicRoute(queue.topic)
            address = instance.subscribeAddress(queue.brokerName)
        }
        guard let address else { throw .illegalArgument("The broker[\(queue.brokerName)] not exist") }
        let isTag = ExpressionType.isTagType(subscription.expressionType)
        let sysFlag = PullSysFlag.build(commitOffset: commitOffset != nil, suspend: suspend,
                                        subscription: postSubscription)
        let header = PullMessageRequestHeader(
            consumerGroup: group, topic: queue.topic, queueID: queue.queueID, queueOffset: offset, maxMsgNums: maxNums,
            sysFlag: sysFlag, commitOffset: commitOffset ?? 0, suspendTimeoutMillis: suspendTimeoutMillis,
            subscription: postSubscription ? subscription.subString : nil, subVersion: subscription.subVersion,
            expressionType: isTag ? ExpressionType.tag : subscription.expressionType)
        let (status, responseHeader, body) = try await instance.api.pullMessage(
            address: address, header: header, timeoutMillis: timeoutMillis)
        var result = PullResult(status: status, nextBeginOffset: responseHeader.nextBeginOffset,
                                minOffset: responseHeader.minOffset, maxOffset: responseHeader.maxOffset)
        if status == .found, let body {
            result.messages = processBody(body, queue: queue, subscription: subscription, result: result)
        }
        return result
    }

    /// Decodes, re-filters by tag, decompresses, stamps broker name and offsets, restores retry topics
    /// (Java `processPullResult` + `resetRetryAndNamespace`).
    func processBody(_ body: ByteBuffer, queue: MessageQueue, subscription: SubscriptionData, result: PullResult)
        -> [MessageExt]
    {
        var decoded: [MessageExt]
        do { decoded = try MessageDecoder.decodeAll(body) } catch {
            instance.logger.warning("cannot decode pulled messages", metadata: ["queue": "\(queue)", "error": "\(error)"])
            return []
        }
        let filterByTag = ExpressionType.isTagType(subscription.expressionType) && !subscription.isSubscribeAll
            && !subscription.tagsSet.isEmpty
        if filterByTag {
            decoded.removeAll { message in message.tags.map { !subscription.tagsSet.contains($0) } ?? true }
        }
        let minOffset = String(result.minOffset), maxOffset = String(result.maxOffset)
        // Mutated in place: each message's properties table stays uniquely referenced (no copy per message).
        for i in decoded.indices {
            if decoded[i].sysFlag & MessageSysFlag.compressed != 0 {
                do {
                    decoded[i].body = try compressors.decompressBody(decoded[i].body, sysFlag: decoded[i].sysFlag)
                } catch {
                    instance.logger.warning("cannot decompress a message body",
                                            metadata: ["msgId": "\(decoded[i].msgID)", "error": "\(error)"])
                }
            }
            decoded[i].brokerName = queue.brokerName
            decoded[i].properties[MessageConst.minOffset] = minOffset
            decoded[i].properties[MessageConst.maxOffset] = maxOffset
            if let retryTopic = decoded[i].properties[MessageConst.retryTopic], MixAll.isRetryTopic(decoded[i].topic) {
                decoded[i].topic = retryTopic
            }
        }
        let out = decoded
        return out
    }
}
