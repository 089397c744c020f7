import ArgumentParser
import Foundation
import OrderEngine

struct CycleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cycle", abstract: "Run one full cycle: import, credit check, unknown products, drop ship, allocate, export.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let engine = try global.engine()
        let lock = try EngineLock(home: engine.home)
        let report = try engine.runCycle(observer: output.json ? nil : FileLines(showProgress: isatty(2) != 0))
        withExtendedLifetime(lock) {}
        if output.json { try Output.json(report); return }
        print("cycle \(report.cycleID) at \(report.startedAt)")
        if report.recoveredOutputs > 0 { print("  recovered: \(report.recoveredOutputs) outbox file(s) left pending by an earlier run") }
        for step in report.steps {
            let counts = step.counts.map { "\($0.name) \($0.value)" }.joined(separator: ", ")
            print("  " + step.step.padding(toLength: 17, withPad: " ", startingAt: 0) + counts
                  + String(format: "  (%.0f ms)", step.milliseconds))
            for warning in step.warnings { print("    warning: \(warning)") }
        }
        for failure in report.outputFailures { print("  warning: \(failure)") }
    }
}

/// A line per imported file on standard output, and live progress on a terminal's standard error.
final class FileLines: ImportObserver, @unchecked Sendable {
    let showProgress: Bool
    private var started = ContinuousClock.now
    private var lastDraw = ContinuousClock.now
    init(showProgress: Bool) { self.showProgress = showProgress }

    func started(file: String, bytes: Int) {
        started = ContinuousClock.now
    }

    func progress(file: String, bytesDone: Int, bytesTotal: Int, records: Int) {
        guard showProgress, ContinuousClock.now - lastDraw > .milliseconds(200) else { return }
        lastDraw = ContinuousClock.now
        let seconds = max(0.001, Self.seconds(ContinuousClock.now - started))
        let percent = bytesTotal > 0 ? Double(bytesDone) * 100 / Double(bytesTotal) : 100
        let line = String(format: "  importing %@  %.0f%%  %@ of %@  %.0f rows/s", file, percent,
                          Self.size(bytesDone), Self.size(bytesTotal), Double(records) / seconds)
        FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
    }

    func finished(file: String, records: Int, rejected: Int, outcome: String) {
        if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        let ms = Self.seconds(ContinuousClock.now - started) * 1000
        print("  file \(file): \(records) record(s), \(rejected) rejected, \(outcome)" + String(format: " (%.0f ms)", ms))
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? String(format: "%.1f MB", Double(bytes) / 1_048_576) : String(format: "%.0f KB", Double(bytes) / 1024)
    }
}
