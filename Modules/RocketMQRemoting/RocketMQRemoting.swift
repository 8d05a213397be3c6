// RocketMQ-Swift — Apache License 2.0
// RocketMQRemoting: filled by its issue; nothing here claims to work yet.
