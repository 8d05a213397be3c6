//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQTools

await MQAdminCommand.main(processArguments: CommandLine.arguments)
