import ArgumentParser
import Foundation
import OrderEngine

struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "The jobs: schedule, last run and next run.",
        subcommands: [JobsListCommand.self, JobsRunCommand.self, JobsHistoryCommand.self], defaultSubcommand: JobsListCommand.self)
}

struct JobsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Each job, its schedule in words, its last run and its next run.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    struct Row: Codable {
        var name: String
        var schedule: String
        var steps: [String]
        var lastRun: JobRun?
        var nextRun: String?
        enum CodingKeys: String, CodingKey { case name, schedule, steps, lastRun = "last_run", nextRun = "next_run" }
    }

    func run() throws {
        let runner = try JobRunner(engine: try global.existingEngine())
        let rows = try runner.jobs.map { job in
            Row(name: job.name, schedule: job.schedule.description, steps: job.steps ?? ["all"],
                lastRun: try runner.history(job: job.name, limit: 1).first, nextRun: try runner.nextRun(of: job)?.description)
        }
        if output.json { try Output.json(rows); return }
        Output.table(["job", "schedule", "steps", "last run", "next run"], rows.map { r in
            [r.name, r.schedule, r.steps.joined(separator: ","), r.lastRun.map { "\($0.startedAt) \($0.outcome)" } ?? "never", r.nextRun ?? "-"]
        })
    }
}

struct JobsRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a job now.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The job's name.") var name: String

    func run() throws {
        let engine = try global.engine()
        let lock = try EngineLock(home: engine.home)
        defer { withExtendedLifetime(lock) {} }
        let runner = try JobRunner(engine: engine)
        let run = try runner.run(try runner.job(named: name))
        print("job \(run.job) \(run.outcome)\(run.error.map { ": \($0)" } ?? "")")
        for (step, counts) in (run.counts ?? [:]).sorted(by: { $0.key < $1.key }) {
            print("  " + step.padding(toLength: 17, withPad: " ", startingAt: 0) + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        if run.outcome != "ok" { throw ExitCode(1) }
    }
}

struct JobsHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Past runs, newest first.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "Only this job.") var name: String?
    @Option(help: "How many runs.") var limit = 20

    func run() throws {
        let runs = try JobRunner(engine: try global.existingEngine()).history(job: name, limit: limit)
        if output.json { try Output.json(runs); return }
        if runs.isEmpty { print("no runs yet"); return }
        Output.table(["#", "job", "trigger", "scheduled", "started", "finished", "outcome", "error"], runs.map {
            ["\($0.id)", $0.job, $0.trigger, $0.scheduledFor ?? "-", $0.startedAt, $0.finishedAt ?? "-", $0.outcome, $0.error ?? ""]
        })
    }
}
