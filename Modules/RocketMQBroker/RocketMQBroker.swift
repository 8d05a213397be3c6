// RocketMQ-Swift — Apache License 2.0
// RocketMQBroker: filled by its issue; nothing here claims to work yet.
