import Foundation
import OrderJobs
import OrderModel

/// A job of the executor: a name, the pipeline steps it runs, and when.
public struct JobDefinition: Sendable {
    public var name: String
    public var schedule: Schedule
    /// Pipeline entries by name; nil runs the whole pipeline.
    public var steps: [String]?
    /// Whether a run missed while the engine was down runs once at start-up.
    public var catchUp: Bool
    /// Whether a report step this job names writes its file when it has no lines (`empty_reports`).
    public var writeEmptyReports: Bool

    public init(name: String, schedule: Schedule, steps: [String]?, catchUp: Bool, writeEmptyReports: Bool = true) {
        self.name = name; self.schedule = schedule; self.steps = steps; self.catchUp = catchUp
        self.writeEmptyReports = writeEmptyReports
    }
}

extension JobDefinition {
    /// The jobs of a config, each step name checked against the pipeline of `rules.yaml` and the built-in steps
    /// (not checked when `pipeline` is nil: rules.yaml could not be read).
    ///
    /// Everything else about a job was checked when `orderflow.yaml` was read (a repeated name among them);
    /// a step name can only be checked once the pipeline is known. Returns every problem, each with its line and column.
    public static func definitions(_ config: EngineConfig, pipeline: [String]?) -> (jobs: [JobDefinition], problems: [String]) {
        let steps = pipeline.map { names in names + BuiltInStep.allCases.map(\.rawValue).filter { !names.contains($0) } }
        let every = "\(max(1, Int(config.inbox.pollInterval.rounded())))s"
        let configs = config.jobs.isEmpty ? [EngineConfig.JobConfig(name: "cycle", every: every)] : config.jobs
        var jobs: [JobDefinition] = []
        var problems: [String] = []
        for job in configs {
            do {
                jobs.append(try definition(job, defaultZone: config.timeZone, pipeline: steps))
            } catch {
                problems.append(error.description)
            }
        }
        return (jobs, problems)
    }

    /// Where a step name is written, for a message.
    static func place(_ job: EngineConfig.JobConfig, step: String) -> String {
        job.stepLocations[step].map { " at \(EngineConfig.fileName):\($0.line):\($0.column)" } ?? " in \(EngineConfig.fileName)"
    }

    static func definition(_ c: EngineConfig.JobConfig, defaultZone: String, pipeline: [String]?) throws(JobProblem) -> JobDefinition {
        let schedule: Schedule
        switch (c.every, c.cron) {
        case (let every?, nil):
            guard case .success(let seconds) = ConfigValues.wholeSeconds(every, in: EngineConfig.JobConfig.everyRange) else {
                throw JobProblem(description: "job '\(c.name)' every '\(every)': expected whole seconds from 1s to 31 days, like 30s, 5m or 2h")
            }
            schedule = .every(seconds: seconds)
        case (nil, let cron?):
            let zoneName = c.timeZone ?? defaultZone
            guard let zone = TimeZone(identifier: zoneName) else {
                throw JobProblem(description: "job '\(c.name)' time_zone '\(zoneName)': not a time zone; use a name such as Europe/London or UTC")
            }
            do { schedule = .cron(try CronExpression(cron), zone: zone) }
            catch { throw JobProblem(description: "job '\(c.name)' cron '\(cron)': \(error)") }
        default:
            throw JobProblem(description: "job '\(c.name)': give either 'every' (30s, 5m, 2h) or 'cron' (\"0 6 * * MON-FRI\"), not both or neither")
        }
        var steps = c.steps
        if steps == ["all"] || steps?.isEmpty == true { steps = nil }
        if let pipeline {
            for step in steps ?? [] where !pipeline.contains(step) {
                throw JobProblem(description: "job '\(c.name)' step '\(step)'\(place(c, step: step)): not in the pipeline of rules.yaml and not a built-in step; the steps are \(pipeline.joined(separator: ", "))")
            }
        }
        if let steps, Set(steps).count != steps.count {
            throw JobProblem(description: "job '\(c.name)': a step is listed twice; a job runs each step once")
        }
        let missed = c.missed ?? "run-once"
        guard ["run-once", "skip"].contains(missed) else {
            throw JobProblem(description: "job '\(c.name)' missed '\(missed)': expected run-once or skip")
        }
        let empty = c.emptyReports ?? "write"
        guard ["write", "skip"].contains(empty) else {
            throw JobProblem(description: "job '\(c.name)' empty_reports '\(empty)': expected write or skip")
        }
        return JobDefinition(name: c.name, schedule: schedule, steps: steps, catchUp: missed == "run-once", writeEmptyReports: empty == "write")
    }

    /// A job that cannot run as configured, in one sentence.
    struct JobProblem: Error, CustomStringConvertible { var description: String }
}
