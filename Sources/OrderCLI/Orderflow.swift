import ArgumentParser
import Foundation

/// The `orderflow` command: configuration only; the work is in the subcommands.
public struct Orderflow: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "orderflow",
        abstract: "File-drop sales order processing: inbox files in, pick lists, purchase orders and exception reports out.",
        version: "orderflow 0.13.0",
        subcommands: [
            InitCommand.self, CycleCommand.self, StatusCommand.self, OrdersCommand.self, OrderCommand.self, ReceiptCommand.self,
            ReleaseCommand.self, HoldCommand.self, CancelCommand.self, CheckCommand.self, MappingCommand.self, SearchCommand.self, RulesCommand.self, AllocateCommand.self, RunCommand.self, ServeCommand.self, ConsoleUserCommand.self, JobsCommand.self, BenchCommand.self,
        ])
    public init() {}

    /// Runs the command line; a mistyped subcommand gets a did-you-mean instead of the usage text.
    public static func runFromCommandLine() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let suggestion = suggestion(for: arguments) {
            FileHandle.standardError.write(Data("Error: \(suggestion)\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        // The body of ArgumentParser's async `main(_:)`, spelled out: a call to it from here resolves to the
        // synchronous overload, which refuses an async root command.
        do {
            var command = try parseAsRoot(nil)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    /// "unknown command 'stauts'; did you mean 'status'?" when the first word is no command but close to one.
    static func suggestion(for arguments: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        var names: [String] = configuration.subcommands.compactMap { $0.configuration.commandName }
        var word = first, nested = false
        // One level down: `orderflow jobs hsitory`.
        if let parent = configuration.subcommands.first(where: { $0.configuration.commandName == first }) {
            guard !parent.configuration.subcommands.isEmpty, arguments.count > 1, !arguments[1].hasPrefix("-") else { return nil }
            names = parent.configuration.subcommands.compactMap { $0.configuration.commandName }
            word = arguments[1]
            nested = true
        }
        guard !names.contains(word), word != "help" else { return nil }
        let scored = names.map { ($0, distance(word.lowercased(), $0)) }.sorted { $0.1 < $1.1 }
        guard let best = scored.first else { return nil }
        let near = best.1 <= max(1, word.count / 3)
        // Below a command, a word may be an argument (a name): only a near miss is called a mistyped command.
        if nested && !near { return nil }
        return "unknown command '\(word)'" + (near ? "; did you mean '\(best.0)'?" : "; the commands are \(names.joined(separator: ", "))")
    }

    /// Levenshtein distance (with adjacent swaps counted once), for did-you-mean.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
