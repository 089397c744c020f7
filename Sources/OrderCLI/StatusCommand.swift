import ArgumentParser
import OrderEngine

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Orders and lines per stage, stock per sku, the last cycles.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "How many skus to list (most back-ordered first); the JSON lists all.") var skus = 20

    func run() throws {
        let queries = OrderQueries(engine: try global.existingEngine())
        if output.json { try Output.json(try queries.status(stockLimit: nil)); return }
        let status = try queries.status(stockLimit: skus)
        print("Stages")
        if status.stages.isEmpty { print("  no orders yet") }
        else { Output.table(["stage", "orders", "lines"], status.stages.map { [$0.stage, "\($0.orders)", "\($0.lines)"] }, indent: "  ") }
        print("\nStock (total on hand \(status.stockTotals.onHand), allocated \(status.stockTotals.allocated), back-ordered \(status.stockTotals.backOrdered))")
        if !status.stock.isEmpty {
            Output.table(["sku", "warehouse", "on_hand", "allocated", "back_ordered"],
                         status.stock.map { [$0.sku, $0.warehouse, "\($0.onHand)", "\($0.allocated)", "\($0.backOrdered)"] }, indent: "  ")
        }
        print("\nLast cycles")
        if status.cycles.isEmpty { print("  none yet") }
        for cycle in status.cycles {
            let counts = cycle.counts ?? [:]
            let imported = counts["import"]?["files"] ?? 0
            let picked = counts["allocate"]?["picked"] ?? 0
            let held = counts["credit-check"]?["held"] ?? 0
            let state = cycle.finishedAt == nil ? "unfinished" : "files \(imported), picked \(picked), held for credit \(held)"
            print("  \(cycle.id)  \(cycle.startedAt)  \(state)")
        }
        if status.pendingOutputs > 0 { print("\n\(status.pendingOutputs) outbox file(s) pending: they are written on the next cycle") }
    }
}
