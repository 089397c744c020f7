import ArgumentParser
import OrderEngine

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the config, every mapping (output mappings and the names that choose them too) and the headers of the files waiting in the inbox; exits 1 on any problem.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let report = HomeCheck(home: Home(global.home)).run()
        if output.json {
            try Output.json(report)
        } else if report.problems.isEmpty {
            print("ok: \(report.mappings) mapping(s), \(report.outputMappings) output mapping(s), \(report.waitingFiles) file(s) waiting")
        } else {
            for problem in report.problems { print(problem) }
        }
        if !report.problems.isEmpty { throw ExitCode(1) }
    }
}
