// RocketMQ-Swift — Apache License 2.0
// RocketMQNamesrv: filled by its issue; nothing here claims to work yet.
