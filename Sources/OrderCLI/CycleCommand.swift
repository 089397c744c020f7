import ArgumentParser
import OrderEngine

struct CycleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cycle", abstract: "Run one full cycle: import, credit check, unknown products, drop ship, allocate, export.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let engine = try global.engine()
        let lock = try EngineLock(home: engine.home)
        let report = try engine.runCycle()
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
