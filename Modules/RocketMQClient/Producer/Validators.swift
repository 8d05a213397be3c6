//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQCommon

/// Client-side checks before anything goes on the wire (Java `Validators`), with upstream's wording.
public enum Validators {
    public static let characterMaxLength = 255

    /// A producer or consumer group name.
    public static func checkGroup(_ group: String) throws(ClientError) {
        if group.isEmpty { throw .illegalArgument("the specified group is blank") }
        if group.utf8.count > characterMaxLength {
            throw .illegalArgument("the specified group is longer than group max length 255.")
        }
        if TopicValidator.validate(group) != nil {
            throw .illegalArgument("the specified group[\(group)] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$")
        }
    }

    /// A topic a message is sent to.
    public static func checkTopic(_ topic: String) throws(ClientError) {
        if let problem = TopicValidator.validate(topic) { throw .illegalArgument(problem) }
        if TopicValidator.isNotAllowedSendTopic(topic) {
            throw .illegalArgument("Sending message to topic[\(topic)] is forbidden.")
        }
    }

    /// A message about to be sent: topic rules, non-empty body, body ≤ `maxMessageSize`.
    public static func checkMessage(_ message: Message, maxMessageSize: Int) throws(ClientError) {
        try checkTopic(message.topic)
        if message.body.isEmpty { throw .illegalArgument("the message body length is zero") }
        if message.body.count > maxMessageSize {
            throw .illegalArgument("the message body size over max value, MAX: \(maxMessageSize)")
        }
    }
}
