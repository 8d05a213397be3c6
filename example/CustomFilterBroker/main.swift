//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import RocketMQBroker
import RocketMQCommon
import RocketMQCompressionPlugin
import RocketMQDelayLevelPlugin
import KeyPrefixFilterPlugin

#if canImport(Glibc)
import Glibc
#endif

// A custom broker: mqbroker's built-in plugins plus a user filter plugin. Takes mqbroker's -n/-c flags.
// Usage: custom-filter-broker -n localhost:9876 [-c broker.conf]
var options = BrokerStartup.Options()
var args = CommandLine.arguments.dropFirst().makeIterator()
while let arg = args.next() {
    switch arg {
    case "-n": options.namesrvAddr = args.next()
    case "-c": options.configFile = args.next()
    case "-p": options.printConfigItem = true
    default:
        Console.err("usage: custom-filter-broker [-n namesrvAddr] [-c broker.conf] [-p]")
        exit(1)
    }
}
options.overrides = [("brokerPlugins", "compression,delayLevel,keyPrefixFilter")]
let code = try await BrokerStartup.run(
    options: options, plugins: [CompressionPlugin(), DelayLevelPlugin(), KeyPrefixFilterPlugin()])
exit(code)
