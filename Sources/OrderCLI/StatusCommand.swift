import ArgumentParser
import Foundation
import OrderEngine
import OrderModel

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Orders and lines per stage, stock per sku, the last cycles.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "How many skus to list (most back-ordered first); the JSON lists all.") var skus = 20
    @Option(help: ArgumentHelp("Count files and runs failed since this time, ISO 8601 (default: the last 24 hours).", valueName: "time"))
    var since: String?

    func validate() throws {
        if let since, Timestamp(iso8601: since) == nil {
            throw ValidationError("--since '\(since)' is not an ISO 8601 time; write it like 2026-11-27 or 2026-11-27T09:00:00Z")
        }
    }

    /// The status with the engine's health first.
    struct Report: Encodable {
        var engine: EngineHealth
        var status: OrderQueries.Status
        func encode(to encoder: any Encoder) throws {
            try status.encode(to: encoder)
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(engine, forKey: Key(stringValue: "engine"))
        }
        struct Key: CodingKey {
            var stringValue: String
            init(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }
    }

    func run() throws {
        let engine = try global.engineForReading()
        let queries = OrderQueries(engine: engine)
        // Files fail on the real clock: --since counts back from now, not from the engine's --now.
        let cutoff = since.flatMap(Timestamp.init(iso8601:)) ?? Timestamp(secondsSinceEpoch: Timestamp(Date()).secondsSinceEpoch - 86_400)
        let health = try EngineHealth.read(home: engine.home, database: engine.database, failedSince: cutoff)
        if output.json { try Output.json(Report(engine: health, status: try queries.status(stockLimit: nil))); return }
        let status = try queries.status(stockLimit: skus)
        print("Engine")
        if health.running {
            print("  running, pid \(health.pid.map(String.init) ?? "?")\(health.since.map { " since \($0)" } ?? "")")
        } else {
            print("  not running")
        }
        print("  last good cycle  " + (health.lastGoodCycle.map { "\($0.id) at \($0.startedAt)" } ?? "none yet"))
        print("  last failure     " + (health.lastFailure.map { "\($0.job) at \($0.at): \($0.error)" } ?? "none"))
        print("  files waiting \(health.filesWaiting), in processing/ \(health.filesInProcessing)\(health.running || health.filesInProcessing == 0 ? "" : " (stuck: the engine is not running)")")
        print("  since \(health.failedSince): \(health.filesFailed) file(s) failed, \(health.runsFailed) run(s) failed")
        print("")
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
            let state = cycle.error.map { "failed: \($0)" }
                ?? (cycle.finishedAt == nil ? "unfinished" : "files \(imported), picked \(picked), held for credit \(held)")
            print("  \(cycle.id)  \(cycle.startedAt)  \(state)")
        }
        if status.pendingOutputs > 0 { print("\n\(status.pendingOutputs) outbox file(s) pending: they are written on the next cycle") }
    }
}
