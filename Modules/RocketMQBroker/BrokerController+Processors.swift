//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon
import RocketMQRemoting

extension BrokerController {
    /// Every request code the broker serves, with its lane (Java `registerProcessor()`). Plugins'
    /// processors come last; a code registered twice fails start-up.
    func makeProcessorTable() throws -> ProcessorTable {
        var table = ProcessorTable()
        let send = SendMessageProcessor(broker: self)
        try table.register(send, for: .sendMessage, .sendMessageV2, .sendBatchMessage, .consumerSendMsgBack, lane: lanes.send)
        try table.register(ReplyMessageProcessor(broker: self), for: .sendReplyMessage, .sendReplyMessageV2,
                           lane: lanes.send)
        try table.register(PullMessageProcessor(broker: self), for: .pullMessage, .litePullMessage, lane: lanes.pull)
        try table.register(QueryMessageProcessor(broker: self), for: .queryMessage, .viewMessageByID, lane: lanes.query)
        try table.register(ClientManageProcessor(broker: self), for: .heartBeat, .unregisterClient, .checkClientConfig,
                           lane: lanes.heartbeat)
        try table.register(ConsumerManageProcessor(broker: self),
                           for: .getConsumerListByGroup, .updateConsumerOffset, .queryConsumerOffset, lane: lanes.heartbeat)
        try table.register(EndTransactionProcessor(broker: self), for: .endTransaction, lane: lanes.send)
        try table.register(AdminBrokerProcessor(broker: self), for:
            .updateAndCreateTopic, .deleteTopicInBroker, .getAllTopicConfig, .getTopicNameList, .getSystemTopicListFromBroker,
            .updateBrokerConfig, .getBrokerConfig, .getBrokerRuntimeInfo, .getBrokerHAStatus, .updateAndCreateSubscriptionGroup,
            .getAllSubscriptionGroupConfig, .deleteSubscriptionGroup, .triggerDeleteFiles, .getMaxOffset, .getMinOffset,
            .searchOffsetByTimestamp, .getEarliestMsgStoretime, .getTopicStatsInfo, .getConsumeStats,
            .getConsumerConnectionList, .getProducerConnectionList, .invokeBrokerToResetOffset, .getAllConsumerOffset,
            .queryTopicConsumeByWho, .lockBatchMQ, .unlockBatchMQ, lane: lanes.admin)
        for (codes, processor) in extensions.processors {
            try table.register(processor, codes: codes, lane: lanes.admin)
        }
        return table
    }
}
