//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import RocketMQClient
import RocketMQCommon
import RocketMQRemoting

/// `mqadmin`: upstream's admin CLI (Java `MQAdminStartup`), one subcommand per Java `*SubCommand`.
public struct MQAdminCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mqadmin",
        abstract: "RocketMQ admin tool.",
        subcommands: allCommands)

    /// In upstream's `initCommand()` order (the ones built here).
    static let allCommands: [any ParsableCommand.Type] = [
        UpdateTopicCommand.self, DeleteTopicCommand.self, UpdateSubGroupCommand.self, DeleteSubGroupCommand.self,
        UpdateBrokerConfigCommand.self, TopicRouteCommand.self, TopicStatusCommand.self,
        TopicClusterListCommand.self, BrokerStatusCommand.self, QueryMsgByIdCommand.self,
        QueryMsgByKeyCommand.self, QueryMsgByUniqueKeyCommand.self, QueryMsgByOffsetCommand.self,
        QueryMsgTraceByIdCommand.self,
        ProducerConnectionCommand.self, ConsumerConnectionCommand.self, ConsumerProgressCommand.self,
        TopicListCommand.self, UpdateKvConfigCommand.self, DeleteKvConfigCommand.self, WipeWritePermCommand.self,
        ResetOffsetByTimeCommand.self, ClusterListCommand.self, SendMessageCommand.self, ConsumeMessageCommand.self,
        GetBrokerConfigCommand.self, HAStatusCommand.self,
    ]

    public init() {}

    /// Runs `mqadmin <arguments>` with `output` as its stdout/stderr; returns the exit status.
    /// Parse errors and command failures become one line on stderr and a non-zero status.
    public static func run(arguments: [String], output: AdminOutput = .standard) async -> Int32 {
        await AdminOutput.$current.withValue(output) {
            let (properties, rest) = SystemProperties.extract(from: arguments)
            let tls: TLSSystemConfig
            do { tls = try ClientTLSOptions.load(properties) } catch {
                out.error("mqadmin: \(error)")
                return 1
            }
            return await ClientTLSOptions.$current.withValue(tls) { await dispatch(rest) }
        }
    }

    /// The executable's entry point: runs the process arguments (after the program name) and exits with
    /// their status. (Named apart from ArgumentParser's synchronous `main()`, which would win overloading.)
    public static func main(processArguments: [String]) async -> Never {
        let status = await run(arguments: Array(processArguments.dropFirst()))
        Foundation.exit(status)
    }

    private static func dispatch(_ arguments: [String]) async -> Int32 {
        if arguments.isEmpty || ["help", "-h", "--help"].contains(arguments[0]) && arguments.count == 1 {
            printCommandList()
            return 0
        }
        if arguments[0] == "help" {
            guard let command = allCommands.first(where: { $0.configuration.commandName == arguments[1] }) else {
                out.error("mqadmin: The sub command \(arguments[1]) not exist.")
                return 1
            }
            out.write(helpMessage(for: command))
            out.line()
            return 0
        }
        if !arguments[0].hasPrefix("-"), !allCommands.contains(where: { $0.configuration.commandName == arguments[0] }) {
            out.error("mqadmin: The sub command \(arguments[0]) not exist.")
            return 1
        }
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            let code = exitCode(for: error)
            if code == .success {  // --help
                out.line(fullMessage(for: error))
                return 0
            }
            let text = message(for: error)
            out.error("mqadmin: " + (text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text))
            return code.rawValue == 0 ? 1 : code.rawValue
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let code as ExitCode {
            return code.rawValue
        } catch let error as ToolError {
            out.error("mqadmin: " + ToolError.reason(for: error))
            return 1
        } catch let error as ClientError {
            out.error("mqadmin: " + ToolError.reason(for: error))
            return 1
        } catch {
            // ArgumentParser's own errors and requests (e.g. `-h` on a subcommand) surface here too.
            let code = exitCode(for: error)
            if code == .success {
                out.line(fullMessage(for: error))
                return 0
            }
            let text = message(for: error)
            out.error("mqadmin: " + (text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text))
            return code.rawValue == 0 ? 1 : code.rawValue
        }
    }

    /// `mqadmin help`: upstream's list of commands with one-line descriptions.
    static func printCommandList() {
        out.line("The most commonly used mqadmin commands are:")
        for command in allCommands {
            let c = command.configuration
            out.line("   " + Tools.left(c.commandName ?? "", 25) + " " + c.abstract)
        }
        out.line()
        out.line("See 'mqadmin help <command>' for more information on a specific command.")
        out.line("TLS: -Dtls.enable=true (and other -Dtls.* keys, or -Dtls.config.file=<file>) before or after the command.")
    }
}
