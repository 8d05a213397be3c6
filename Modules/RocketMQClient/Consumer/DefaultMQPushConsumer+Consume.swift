//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting

/// Running the listener: concurrently (Java `ConsumeMessageConcurrentlyService`) and orderly (Java
/// `ConsumeMessageOrderlyService`).
extension DefaultMQPushConsumer {
    // MARK: Concurrently

    /// Splits pulled messages into batches of `consumeMessageBatchMaxSize` and runs each under the
    /// concurrency limit.
    func submitConcurrently(_ messages: [MessageExt], queue: MessageQueue, processQueue: ProcessQueue) {
        let batchSize = max(1, consumeMessageBatchMaxSize)
        for start in stride(from: 0, to: messages.count, by: batchSize) {
            let batch = Array(messages[start..<min(start + batchSize, messages.count)])
            Task { [weak self] in await self?.consumeConcurrently(batch, queue: queue, processQueue: processQueue) }
        }
    }

    private func consumeConcurrently(_ messages: [MessageExt], queue: MessageQueue, processQueue: ProcessQueue) async {
        guard let (limiter, listener) = runtime.withLock({ r -> (ConsumeLimiter, MessageListenerConcurrently)? in
            guard let l = r.limiter, case .concurrently(let f) = r.listener else { return nil }
            return (l, f)
        }) else { return }
        if processQueue.isDropped { return }
        await limiter.acquire()
        let context = ConsumeConcurrentlyContext(messageQueue: queue)
        var batch = messages
        let now = String(Clock.millis())
        for i in batch.indices { batch[i].properties[MessageConst.consumeStartTimestamp] = now }
        let trace = runtime.withLock { $0.traceDispatcher }
        let before = trace.flatMap { traceConsumeBefore(batch, to: $0) }
        let status = processQueue.isDropped ? nil : await listener(batch, context)
        if let trace, let before, let status {
            traceConsumeAfter(before, count: batch.count, success: status == .consumeSuccess, to: trace)
        }
        await limiter.release()
        guard let status else { return }
        await processConsumeResult(status, context: context, messages: messages, queue: queue,
                                   processQueue: processQueue)
    }

    /// Java `processConsumeResult`: count, send failures back, advance the offset.
    private func processConsumeResult(_ status: ConsumeConcurrentlyStatus, context: ConsumeConcurrentlyContext,
                                      messages: [MessageExt], queue: MessageQueue, processQueue: ProcessQueue) async {
        let ackIndex = status == .consumeSuccess ? min(context.ackIndex, messages.count - 1) : -1
        let okCount = ackIndex + 1
        consumedCount.wrappingAdd(okCount, ordering: .relaxed)
        failedCount.wrappingAdd(messages.count - okCount, ordering: .relaxed)
        var retryLocally: [MessageExt] = []
        if okCount < messages.count {
            if messageModel == .broadcasting {
                for m in messages[okCount...] {
                    logger.warning("BROADCASTING, the message consume failed, drop it", metadata: ["msgId": "\(m.msgID)"])
                }
            } else {
                for m in messages[okCount...] where !(await sendMessageBack(m, delayLevel: context.delayLevelWhenNextConsume)) {
                    var again = m
                    again.reconsumeTimes += 1
                    retryLocally.append(again)
                }
            }
        }
        let done = messages.filter { m in !retryLocally.contains { $0.queueOffset == m.queueOffset } }
        let offset = processQueue.removeMessages(done)
        if offset >= 0 && !processQueue.isDropped {
            runtime.withLock { $0.offsetStore }?.updateOffset(queue, offset, increaseOnly: true)
        }
        if !retryLocally.isEmpty {
            // Java resubmits after 5 s when even the fallback send failed.
            Task { [weak self] in
                try? await Task.sleep(for: .seconds(5))
                await self?.consumeConcurrently(retryLocally, queue: queue, processQueue: processQueue)
            }
        }
    }

    /// CONSUMER_SEND_MSG_BACK to the message's broker; on failure re-sends it as a normal message to
    /// `%RETRY%<group>` through the instance's internal producer (Java `sendMessageBack`). False when both fail.
    func sendMessageBack(_ message: MessageExt, delayLevel: Int32) async -> Bool {
        guard let instance = runtime.withLock({ $0.instance }) else { return false }
        let group = consumerGroup
        let maxTimes = maxReconsumeTimes == -1 ? 16 : maxReconsumeTimes
        if let address = await instance.masterAddress(message.brokerName, topic: message.topic) ?? instance.masterAddress(message.brokerName) {
            do {
                try await instance.api.consumerSendMessageBack(address: address, message: message, group: group,
                                                               delayLevel: delayLevel, maxReconsumeTimes: maxTimes)
                return true
            } catch {
                logger.info("send message back failed, re-sending to the retry topic",
                            metadata: ["msgId": "\(message.msgID)", "error": "\(error)"])
            }
        }
        var retry = Message(topic: MixAll.retryTopic(group), flag: message.flag, body: message.body)
        retry.properties = message.properties
        retry.properties[MessageConst.minOffset] = nil
        retry.properties[MessageConst.maxOffset] = nil
        if retry.properties[MessageConst.retryTopic] == nil { retry.properties[MessageConst.retryTopic] = message.topic }
        retry.properties[MessageConst.originMessageID] = retry.properties[MessageConst.originMessageID] ?? message.msgID
        retry.properties[MessageConst.reconsumeTime] = String(message.reconsumeTimes + 1)
        retry.properties[MessageConst.maxReconsumeTimes] = String(maxTimes)
        retry.delayTimeLevel = 3 + Int(message.reconsumeTimes)
        do {
            let producer = try await instance.innerProducer()
            _ = try await producer.send(retry)
            return true
        } catch {
            logger.warning("re-send to the retry topic failed; will retry locally", metadata: ["error": "\(error)"])
            return false
        }
    }

    // MARK: Orderly

    /// Starts the single consume task of an orderly queue.
    func startOrderlyConsume(queue: MessageQueue, processQueue: ProcessQueue) {
        Task { [weak self] in await self?.consumeOrderly(queue: queue, processQueue: processQueue) }
    }

    private func consumeOrderly(queue: MessageQueue, processQueue: ProcessQueue) async {
        guard let (limiter, listener) = runtime.withLock({ r -> (ConsumeLimiter, MessageListenerOrderly)? in
            guard let l = r.limiter, case .orderly(let f) = r.listener else { return nil }
            return (l, f)
        }) else { return }
        let clustering = messageModel == .clustering
        while true {
            if processQueue.isDropped {
                processQueue.stopConsuming()
                return
            }
            if clustering && !processQueue.isLocked {
                // The pull loop re-locks; come back shortly.
                try? await Task.sleep(for: .milliseconds(100))
                continue
            }
            let batch = processQueue.takeMessages(consumeMessageBatchMaxSize)
            if batch.isEmpty { return }
            let context = ConsumeOrderlyContext(messageQueue: queue)
            await limiter.acquire()
            let trace = runtime.withLock { $0.traceDispatcher }
            let before = trace.flatMap { traceConsumeBefore(batch, to: $0) }
            let status = await listener(batch, context)
            if let trace, let before { traceConsumeAfter(before, count: batch.count, success: status == .success, to: trace) }
            await limiter.release()
            switch status {
            case .success:
                consumedCount.wrappingAdd(batch.count, ordering: .relaxed)
                let offset = processQueue.commit()
                if offset >= 0 && !processQueue.isDropped {
                    runtime.withLock { $0.offsetStore }?.updateOffset(queue, offset, increaseOnly: false)
                }
            case .suspendCurrentQueueAMoment:
                failedCount.wrappingAdd(batch.count, ordering: .relaxed)
                if await exceededMaxReconsume(batch) {
                    // Past maxReconsumeTimes: hand the messages to the broker's retry/DLQ path and move on.
                    for m in batch { _ = await sendMessageBack(m, delayLevel: 0) }
                    let offset = processQueue.commit()
                    if offset >= 0 { runtime.withLock { $0.offsetStore }?.updateOffset(queue, offset, increaseOnly: false) }
                    continue
                }
                let again = batch.map { m -> MessageExt in
                    var copy = m
                    copy.reconsumeTimes += 1
                    return copy
                }
                processQueue.makeMessagesToConsumeAgain(again)
                let wait = context.suspendCurrentQueueTimeMillis >= 0
                    ? context.suspendCurrentQueueTimeMillis : suspendCurrentQueueTimeMillis
                try? await Task.sleep(for: .milliseconds(max(10, min(wait, 30_000))))
            }
        }
    }

    private func exceededMaxReconsume(_ batch: [MessageExt]) async -> Bool {
        let limit = maxReconsumeTimes
        guard limit >= 0 else { return false }
        return batch.contains { $0.reconsumeTimes >= limit }
    }
}

extension DefaultMQPushConsumer {
    /// The SubBefore record of a listener call (Java `ConsumeMessageTraceHookImpl.consumeMessageBefore`);
    /// messages the broker marked `TRACE_ON=false` are left out, and nil means nothing to trace.
    func traceConsumeBefore(_ messages: [MessageExt], to dispatcher: AsyncTraceDispatcher) -> TraceContext? {
        var ctx = TraceContext(traceType: .subBefore, timeStamp: Clock.millis(), beans: [])
        ctx.groupName = consumerGroup
        ctx.requestID = MessageClientIDSetter.shared.createUniqueID()
        for m in messages where m.properties[MessageConst.traceSwitch] != "false" && m.topic != dispatcher.traceTopic {
            var bean = TraceBean()
            bean.topic = m.topic
            bean.msgID = m.msgID
            bean.tags = m.tags
            bean.keys = m.keys
            bean.bodyLength = Int(m.storeSize)
            bean.retryTimes = m.reconsumeTimes
            bean.storeHost = "\(m.storeHost.hostString):\(m.storeHost.port)"
            ctx.regionID = m.properties[MessageConst.msgRegion] ?? ctx.regionID
            ctx.beans.append(bean)
        }
        guard !ctx.beans.isEmpty else { return nil }
        dispatcher.append(ctx)
        return ctx
    }

    /// The SubAfter record (Java `consumeMessageAfter`): cost per message, success, return type ordinal
    /// (Java `ConsumeReturnType`: SUCCESS 0, FAILED 4).
    func traceConsumeAfter(_ before: TraceContext, count: Int, success: Bool, to dispatcher: AsyncTraceDispatcher) {
        var ctx = TraceContext(traceType: .subAfter, timeStamp: Clock.millis(), beans: before.beans)
        ctx.regionID = before.regionID
        ctx.groupName = before.groupName
        ctx.requestID = before.requestID
        ctx.isSuccess = success
        ctx.costTime = Int((ctx.timeStamp - before.timeStamp) / Int64(max(1, count)))
        ctx.contextCode = success ? 0 : 4
        dispatcher.append(ctx)
    }
}
