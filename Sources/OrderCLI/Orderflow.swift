import ArgumentParser

/// The `orderflow` command: configuration only; the work is in the subcommands.
public struct Orderflow: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "orderflow",
        abstract: "File-drop sales order processing: inbox files in, pick lists, purchase orders and exception reports out.",
        subcommands: [
            InitCommand.self, CycleCommand.self, StatusCommand.self, OrdersCommand.self, OrderCommand.self,
            ReleaseCommand.self, HoldCommand.self, CancelCommand.self, CheckCommand.self, MappingCommand.self, SearchCommand.self, RulesCommand.self, AllocateCommand.self, RunCommand.self, JobsCommand.self, BenchCommand.self,
        ])
    public init() {}
}
