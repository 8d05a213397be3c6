// RocketMQ-Swift — Apache License 2.0
// RocketMQClient: filled by its issue; nothing here claims to work yet.
