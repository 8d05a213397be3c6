//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser

/// `rocketmq-example <upstream class path> [options]`: upstream's example programs
/// (`sh bin/tools.sh org.apache.rocketmq.example.quickstart.Producer` is
/// `rocketmq-example quickstart.Producer`). The name server comes from `-n` or `NAMESRV_ADDR`.
@main
struct RocketMQExample: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rocketmq-example",
        abstract: "RocketMQ example programs, named as upstream's org.apache.rocketmq.example classes.",
        subcommands: [
            QuickstartProducer.self, QuickstartConsumer.self,
            SimpleProducer.self, SimpleAsyncProducer.self, SimpleOnewayProducer.self, SimplePullConsumer.self,
            SimpleTopicDemo.self,
            OrderProducer.self, OrderConsumer.self,
            TransactionProducerExample.self,
            ScheduledMessageProducer.self, ScheduledMessageConsumer.self,
            TagFilterProducer.self, TagFilterConsumer.self, SqlFilterProducer.self, SqlFilterConsumer.self,
            BroadcastPushConsumer.self,
            SimpleBatchProducer.self,
            CompressionProducer.self,
            FilterPluginConsumer.self,
            RPCRequestProducer.self, RPCResponseConsumer.self,
            TraceProducerExample.self, TracePushConsumerExample.self,
        ])
}
