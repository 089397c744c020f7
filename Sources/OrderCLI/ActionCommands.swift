import ArgumentParser
import OrderEngine

struct ReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release", abstract: "Release an order held for credit, held by hand or in order vetting; overrides the credit check.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order_ref.") var ref: String

    func run() throws {
        print(try OrderActions(engine: try global.engine()).release(ref).message)
    }
}

struct HoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hold", abstract: "Hold an order until it is released.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order_ref.") var ref: String
    @Option(help: "Why the order is held; shown in its history.") var reason: String

    func run() throws {
        print(try OrderActions(engine: try global.engine()).hold(ref, reason: reason).message)
    }
}

struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel an order's open lines and free their stock.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order_ref.") var ref: String

    func run() throws {
        print(try OrderActions(engine: try global.engine()).cancel(ref).message)
    }
}
