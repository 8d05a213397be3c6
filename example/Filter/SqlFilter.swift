//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import RocketMQClient
import RocketMQCommon

/// `filter.SqlFilterProducer`: messages with user properties `age` and `sex` (seed 004 §2.5).
struct SqlFilterProducer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter.SqlFilterProducer", abstract: "Send messages with user properties age and sex.",
        aliases: ["sql-filter-producer"])

    @OptionGroup var common: CommonOptions
    @Option(help: "How many messages to send.") var count = 10
    @Option(help: "Topic to send to.") var topic = "SqlFilterTest"

    func run() async throws {
        let producer = DefaultMQProducer(producerGroup: "please_rename_unique_group_name",
                                         clientConfig: common.clientConfig())
        try await producer.start()
        let tags = ["TagA", "TagB", "TagC"]
        for i in 0..<count {
            // Ages 16, 18, …; sexes alternate 女/男.
            let age = 16 + 2 * i
            let sex = i % 2 == 0 ? "女" : "男"
            var message = Message(topic: topic, tags: tags[i % tags.count], body: "美女\(i) age=\(age) sex=\(sex)")
            message.putUserProperty("age", String(age))
            message.putUserProperty("sex", sex)
            say(try await producer.send(message))
        }
        await producer.shutdown()
        ExampleOutput.flush()
    }
}

/// `filter.SqlFilterConsumer`: `age >= 20 AND sex = '女'`; the broker needs `enablePropertyFilter=true`.
struct SqlFilterConsumer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter.SqlFilterConsumer", abstract: "Consume with an SQL92 selector over user properties.",
        aliases: ["sql-filter-consumer"])

    @OptionGroup var common: CommonOptions
    @OptionGroup var stop: StopOptions
    @Option(help: "Topic to consume.") var topic = "SqlFilterTest"
    @Option(help: "SQL92 expression.") var sql = "age >= 20 AND sex = '女'"

    func run() async throws {
        let consumer = DefaultMQPushConsumer(consumerGroup: "please_rename_unique_group_name_sql",
                                             clientConfig: common.clientConfig())
        consumer.consumeFromWhere = .consumeFromFirstOffset
        try consumer.subscribe(topic, selector: .bySQL(sql))
        do {
            try await runPrintingConsumer(consumer, stop: stop)
        } catch let error as ClientError where error.responseCode != nil {
            say("The broker refused the SQL92 subscription: \(error)")
            say("Set enablePropertyFilter=true in the broker's configuration and restart it.")
            ExampleOutput.flush()
            throw ExitCode(2)
        }
    }
}
