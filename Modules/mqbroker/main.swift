// RocketMQ-Swift — Apache License 2.0
print("not built yet")
