import ArgumentParser
import OrderEngine

struct AllocateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocate", abstract: "Allocate stock now, or with --dry-run show what the next allocation would do and change nothing.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Flag(help: "Preview only: nothing is changed.") var dryRun = false

    func run() throws {
        let engine = try global.engine()
        // A preview changes nothing (one rolled-back transaction), so it runs beside the running engine.
        let lock = dryRun ? nil : try EngineLock(home: engine.home)
        defer { withExtendedLifetime(lock) {} }
        let (report, preview) = try engine.allocate(dryRun: dryRun)
        if output.json { try Output.json(preview); return }
        print((dryRun ? "would pick " : "picked ") + "\(report["picked"]) line(s), back-order \(report["back-ordered"]) new line(s); \(report["examined"]) line(s) examined")
        if dryRun && !preview.isEmpty {
            Output.table(["order_ref", "line", "sku", "qty", "now", "would be"], preview.map {
                [$0.orderRef, "\($0.lineNo)", $0.sku, "\($0.quantity)", $0.from, $0.outcome]
            })
        }
    }
}
