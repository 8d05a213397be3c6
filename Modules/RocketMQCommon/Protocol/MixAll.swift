//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

/// Well-known names and defaults (Java `MixAll`, `TopicValidator`).
public enum MixAll {
    public static let defaultNamesrvPort = 9876
    public static let defaultBrokerPort = 10911
    public static let autoCreateTopicKeyTopic = "TBW102"
    public static let benchmarkTopic = "BenchmarkTest"
    public static let defaultProducerGroup = "DEFAULT_PRODUCER"
    public static let defaultConsumerGroup = "DEFAULT_CONSUMER"
    public static let toolsConsumerGroup = "TOOLS_CONSUMER"
    public static let clientInnerProducerGroup = "CLIENT_INNER_PRODUCER"
    public static let selfTestProducerGroup = "SELF_TEST_P_GROUP"
    public static let selfTestConsumerGroup = "SELF_TEST_C_GROUP"
    public static let cidRMQSysPrefix = "CID_RMQ_SYS_"
    public static let retryGroupTopicPrefix = "%RETRY%"
    public static let dlqGroupTopicPrefix = "%DLQ%"
    public static let masterID: Int64 = 0
    public static let defaultCharset = "UTF-8"
    public static let replyTopicPostfix = "REPLY_TOPIC"
    /// The MSG_TYPE value of a reply message.
    public static let replyMessageFlag = "reply"
    public static let namesrvAddrEnv = "NAMESRV_ADDR"
    public static let rocketmqHomeEnv = "ROCKETMQ_HOME"

    /// `<cluster>_REPLY_TOPIC`, created by every broker of the cluster at start.
    public static func replyTopic(cluster: String) -> String { cluster + "_" + replyTopicPostfix }
    public static func retryTopic(_ group: String) -> String { retryGroupTopicPrefix + group }
    public static func dlqTopic(_ group: String) -> String { dlqGroupTopicPrefix + group }
    public static func isRetryTopic(_ topic: String) -> Bool { topic.hasPrefix(retryGroupTopicPrefix) }
    public static func isDLQTopic(_ topic: String) -> Bool { topic.hasPrefix(dlqGroupTopicPrefix) }
}

/// Topic name rules and system topics (Java `TopicValidator`).
public enum TopicValidator {
    public static let rmqSysScheduleTopic = "SCHEDULE_TOPIC_XXXX"
    public static let rmqSysTransHalfTopic = "RMQ_SYS_TRANS_HALF_TOPIC"
    public static let rmqSysTransOpHalfTopic = "RMQ_SYS_TRANS_OP_HALF_TOPIC"
    public static let rmqSysTransCheckMaxTimeTopic = "TRANS_CHECK_MAX_TIME_TOPIC"
    public static let rmqSysSelfTestTopic = "SELF_TEST_TOPIC"
    public static let rmqSysOffsetMovedEvent = "OFFSET_MOVED_EVENT"
    public static let rmqSysTraceTopic = "RMQ_SYS_TRACE_TOPIC"
    public static let rmqSysBenchmarkTopic = "BenchmarkTest"
    public static let systemTopicPrefix = "rmq_sys_"
    public static let topicMaxLength = 127

    public static let notAllowedSendTopics: Set<String> = [
        rmqSysScheduleTopic, rmqSysTransHalfTopic, rmqSysTransOpHalfTopic, rmqSysTransCheckMaxTimeTopic,
        rmqSysSelfTestTopic, rmqSysOffsetMovedEvent,
    ]

    static let systemTopics: Set<String> = [
        MixAll.autoCreateTopicKeyTopic, rmqSysScheduleTopic, rmqSysBenchmarkTopic, rmqSysTransHalfTopic,
        rmqSysTransOpHalfTopic, rmqSysTransCheckMaxTimeTopic, rmqSysSelfTestTopic, rmqSysOffsetMovedEvent,
        rmqSysTraceTopic,
    ]

    public static func isSystemTopic(_ topic: String) -> Bool {
        systemTopics.contains(topic) || topic.hasPrefix(systemTopicPrefix)
    }

    public static func isNotAllowedSendTopic(_ topic: String) -> Bool { notAllowedSendTopics.contains(topic) }

    /// Whether `b` may appear in a topic name: `^[%|a-zA-Z0-9_-]+$`.
    @inlinable
    public static func isTopicCharacter(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            || b == UInt8(ascii: "%") || b == UInt8(ascii: "|") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }

    /// Validates a topic name; returns the upstream-style remark when it is refused.
    public static func validate(_ topic: String) -> String? {
        if topic.isEmpty { return "The specified topic is blank." }
        if !topic.utf8.allSatisfy(isTopicCharacter) {
            return "The specified topic[\(topic)] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$"
        }
        if topic.utf8.count > topicMaxLength {
            return "The specified topic is longer than topic max length \(topicMaxLength)."
        }
        return nil
    }
}
