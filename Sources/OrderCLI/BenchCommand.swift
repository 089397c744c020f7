import ArgumentParser
import Foundation
import OrderBench
import OrderEngine

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks (not tests): generated workloads, timed and measured.",
        subcommands: [BenchCycleCommand.self, BenchImportCommand.self, BenchExportCommand.self])
}

struct BenchImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Generate an order file of a given size and import it: time, rows per second, peak memory.")
    @Option(help: "Size of the generated order file in MB.") var sizeMb = 64
    @Option(help: "csv or xml.") var format = "csv"
    @Option(help: "Scratch folder for the generated home (deleted and recreated).") var dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("orderflow-bench").path
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        guard let format = ImportBenchmark.Format(rawValue: format) else { throw ValidationError("--format must be csv or xml") }
        let result = try ImportBenchmark(folder: URL(fileURLWithPath: dir), format: format, megabytes: sizeMb).run()
        if json {
            try Output.json(result)
            return
        }
        print(String(format: "%@ %.0f MB, %d lines: generated in %.1f s; imported in %.1f s (%.0f lines/s, %.1f MB/s); peak resident memory %.0f MB",
                     result.format, Double(result.fileBytes) / 1_048_576, result.lines, result.generateSeconds, result.importSeconds,
                     result.linesPerSecond, result.megabytesPerSecond, result.peakResidentMB))
    }
}

struct BenchCycleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cycle",
        abstract: "Generate realistic feeds of N order lines, run one cold cycle, then a one-receipt cycle over the back-order book (in the engine and as an `orderflow cycle` process).")
    @Option(help: "Order lines to generate (e.g. 10000, 100000, 1000000).") var lines = 10_000
    @Option(help: "Seed of the generator.") var seed: UInt64 = 1
    @Option(help: "Scratch folder (deleted and recreated; removed afterwards unless --keep).") var dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("orderflow-bench-cycle").path
    @Flag(help: "Keep the scratch folder afterwards.") var keep = false
    @Option(help: "The generated home's SQLite page cache in MB (orderflow.yaml's cache_mb; default: the engine's default).") var cacheMb: Int?
    @Flag(help: "Print JSON.") var json = false

    /// This very executable, so that the process measure runs the same build as the rest of the benchmark.
    static var executable: URL { Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0]) }

    func run() throws {
        let result = try CycleBenchmark(folder: URL(fileURLWithPath: dir), lines: lines, seed: seed, keep: keep, executable: Self.executable, cacheMB: cacheMb).run()
        if json { try Output.json(result); return }
        print("\(result.lines) lines in \(result.orders) orders, \(result.customers) customers, \(result.products) products")
        print(String(format: "cold cycle %.0f ms; peak resident memory %.0f MB", result.cycleMilliseconds, result.peakResidentMB))
        Output.table(["phase", "ms", "lines/s"], result.phases.map { [$0.name, String(format: "%.0f", $0.milliseconds), String(format: "%.0f", $0.rowsPerSecond)] }, indent: "  ")
        print("  by step: " + result.steps.map { String(format: "%@ %.0f", $0.name, $0.milliseconds) }.joined(separator: ", ") + " (ms)")
        print("  peak memory after each step: " + result.steps.map { "\($0.name) \($0.peakResidentMB)" }.joined(separator: ", ") + " (MB)")
        if let sqlite = result.sqliteImportMilliseconds, let cycleRatio = result.cycleRatio, let importRatio = result.importRatio {
            print(String(format: "vs the sqlite3 shell's .import of the same rows (%.0f ms): cold cycle %.1fx, import %.1fx (%.0f ms)",
                         sqlite, cycleRatio, importRatio, result.phases[0].milliseconds))
        } else {
            print("vs the sqlite3 shell's .import: not measured, no sqlite3 shell on the PATH")
        }
        print(String(format: "rule search (proforma-vetting) %.0f ms, %.1f%% of the cycle", result.searchMilliseconds,
                     result.searchMilliseconds * 100 / max(result.cycleMilliseconds, 1)))
        print(String(format: "follow-up cycle (no new files; held orders of customers whose exposure changed re-checked): %.0f ms",
                     result.followUpCycleMilliseconds))
        print(String(format: "one receipt for 10 skus with %d lines in back order: cycle %.0f ms in the benchmark's engine",
                     result.backlogLines, result.receiptCycleMilliseconds))
        print("  by step: " + result.receiptSteps.map { String(format: "%@ %.1f", $0.name, $0.milliseconds) }.joined(separator: ", ") + " (ms)")
        if let process = result.processReceiptCycleMilliseconds, let steps = result.processReceiptSteps {
            print(String(format: "the same again as a whole 'orderflow cycle' process (start, open, cycle, exit), %d lines in back order: %.0f ms wall clock, its steps %.0f ms",
                         result.processBacklogLines ?? 0, process, steps.map(\.milliseconds).reduce(0, +)))
            print("  by step: " + steps.map { String(format: "%@ %.1f", $0.name, $0.milliseconds) }.joined(separator: ", ") + " (ms)")
        }
        let ratios = [
            result.cycleRatio.map { String(format: "cold cycle %.1fx .import", $0) } ?? "cold cycle vs .import: no sqlite3",
            result.importRatio.map { String(format: "import %.1fx .import", $0) } ?? "import vs .import: no sqlite3",
            String(format: "peak memory %.0f MB", result.peakResidentMB),
            result.processReceiptCycleMilliseconds.map { String(format: "one-receipt cycle process %.0f ms", $0) } ?? "",
        ]
        print("summary: " + ratios.filter { !$0.isEmpty }.joined(separator: "; "))
    }
}

struct BenchExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Generate `bench cycle`'s feeds of N order lines, cycle them up to allocate, then time the export step from that state with the standard pick list and with an output mapping of the same columns, alternating.")
    @Option(help: "Order lines to generate (e.g. 10000, 300000).") var lines = 10_000
    @Option(help: "Seed of the generator.") var seed: UInt64 = 1
    @Option(help: "Timed exports of each variant.") var repeats = 3
    @Option(help: "Scratch folder (deleted and recreated; removed afterwards unless --keep).") var dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("orderflow-bench-export").path
    @Flag(help: "Keep the scratch folder afterwards (base/: the home before the export; pick-lists-standard/, pick-lists-mapped/: what each wrote).") var keep = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard lines > 0 else { throw ValidationError("--lines must be at least 1") }
        guard repeats > 0 else { throw ValidationError("--repeats must be at least 1") }
    }

    func run() throws {
        let result = try ExportBenchmark(folder: URL(fileURLWithPath: dir), lines: lines, seed: seed, repeats: repeats, keep: keep).run()
        if json { try Output.json(result); return }
        print("\(result.lines) lines in \(result.orders) orders, \(result.linesToPick) to pick; cycled up to allocate in \(String(format: "%.0f", result.setupMilliseconds)) ms")
        Output.table(["run", "variant", "export step ms", "cycle ms", "cycle CPU ms", "pick lists", "rows"], result.runs.enumerated().map { i, run in
            ["\(i + 1)", run.variant, String(format: "%.0f", run.stepMilliseconds), String(format: "%.0f", run.cycleMilliseconds),
             String(format: "%.0f", run.cpuMilliseconds),
             "\(run.pickLists)", "\(run.pickListRows)"]
        }, indent: "  ")
        print("  pick-list files of both variants: " + (result.sameBytes ? "the same bytes" : "different bytes"))
        print(String(format: "summary: export step, minimum of %d: standard %.0f ms, mapped %.0f ms; mapped / standard %.2fx (target at most 1.5x)",
                     repeats, result.standardMilliseconds, result.mappedMilliseconds, result.ratio))
    }
}
