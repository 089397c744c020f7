import ArgumentParser
import Foundation
import OrderEngine

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks (not tests): generated workloads, timed and measured.",
        subcommands: [BenchImportCommand.self])
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
