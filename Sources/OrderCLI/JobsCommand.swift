import ArgumentParser
import Foundation
import OrderDaemon
import OrderEngine
import OrderModel

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
        let runner = try JobRunner.reading(engine: try global.existingEngine())
        if let problem = runner.problem {
            FileHandle.standardError.write(Data("warning: \(problem); the jobs' steps are not checked against it\n".utf8))
        }
        let rows = try runner.jobs.map { job in
            Row(name: job.name, schedule: job.schedule.description, steps: job.steps ?? ["all"],
                lastRun: try runner.history(job: job.name, limit: 1).first, nextRun: try runner.nextRun(of: job)?.description)
        }
        if output.json { try Output.json(rows); return }
        let idle = Dictionary(try runner.idleRuns().map { ($0.job, $0.lastAt) }, uniquingKeysWith: { $1 })
        Output.table(["job", "schedule", "steps", "last run", "next run"], rows.map { r in
            var last = r.lastRun.map { "\($0.startedAt) \($0.outcome.rawValue)" } ?? "never"
            // Runs with nothing to do are counted, not recorded: the latest may be one of them.
            if let at = idle[r.name], at > (r.lastRun?.startedAt ?? "") { last = "\(at) ok (nothing to do)" }
            return [r.name, r.schedule, r.steps.joined(separator: ","), last, r.nextRun ?? "-"]
        })
    }
}

struct JobsRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a job now; while the engine runs, ask it to run the job and wait for the outcome.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The job's name.") var name: String
    @Option(help: "While the engine runs: how many seconds to wait for it to run the job.") var timeout: Double = 600

    func run() throws {
        let engine = try global.engine()
        let run: JobRun
        do {
            let lock = try EngineLock(home: engine.home)
            defer { withExtendedLifetime(lock) {} }
            let runner = try JobRunner(engine: engine)
            run = try runner.run(try runner.job(named: name))
        } catch EngineError.locked {
            // The engine runs: it is asked (a row in job_request) and runs the job between its cycles.
            _ = try JobRunner.reading(engine: engine).job(named: name)
            let request = try JobRunner.request(name, engine: engine)
            FileHandle.standardError.write(Data("the engine is running; asked it to run \(name) (request \(request))\n".utf8))
            let deadline = Date().addingTimeInterval(timeout)
            while true {
                if let answer = try JobRunner.answer(to: request, engine: engine) {
                    run = try answer.get()
                    break
                }
                guard Date() < deadline else {
                    try JobRunner.withdraw(request, engine: engine)
                    throw EngineError.notPossible("the running engine did not run \(name) within \(Int(timeout)) s (it may be in a long import); the request is withdrawn, try again later")
                }
                usleep(100_000)
            }
        }
        print("job \(run.job) \(run.outcome.rawValue)\(run.error.map { ": \($0)" } ?? "")")
        for (step, counts) in (run.counts ?? [:]).sorted(by: { $0.key < $1.key }) {
            print("  " + step.padding(toLength: 17, withPad: " ", startingAt: 0) + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        if run.outcome != .ok { throw ExitCode(1) }
    }
}

struct JobsHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Past runs, newest first.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "Only this job.") var name: String?
    @Option(help: "How many runs.") var limit = 20
    @Option(help: ArgumentHelp("Only runs started at or after this time, ISO 8601.", valueName: "time")) var since: String?
    @Flag(help: "Only failed runs (and configuration edits the running engine refused).") var failed = false
    @Flag(help: "Only runs that did something (failed, skipped, or a count above zero).") var busy = false

    func validate() throws {
        if let since, Timestamp(iso8601: since) == nil {
            throw ValidationError("--since '\(since)' is not an ISO 8601 time; write it like 2026-11-27 or 2026-11-27T09:00:00Z")
        }
    }

    func run() throws {
        let engine = try global.engineForReading()
        let filter = JobRunner.HistoryFilter(job: name, since: since.flatMap(Timestamp.init(iso8601:)), failedOnly: failed, busyOnly: busy)
        let runs = try JobRunner.history(engine.database, filter: filter, limit: limit)
        let idle = try JobRunner.idleRuns(engine.database).filter { name == nil || $0.job == name }
        if output.json { try Output.json(runs); return }
        if runs.isEmpty { print(failed || busy || since != nil ? "no such runs" : "no runs yet") }
        else {
            Output.table(["#", "job", "trigger", "scheduled", "started", "finished", "outcome", "error"], runs.map {
                ["\($0.id)", $0.job, $0.trigger.rawValue, $0.scheduledFor ?? "-", $0.startedAt, $0.finishedAt ?? "-", $0.outcome.rawValue, $0.error ?? ""]
            })
        }
        if !failed && !busy {
            for i in idle { print("\(i.job): \(i.runs) run(s) with nothing to do since \(i.since) (not listed), the last at \(i.lastAt)") }
        }
    }
}
