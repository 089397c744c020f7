import Foundation
import GRDB
import Logging
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

    public init(name: String, schedule: Schedule, steps: [String]?, catchUp: Bool) {
        self.name = name; self.schedule = schedule; self.steps = steps; self.catchUp = catchUp
    }
}

/// One recorded run of a job.
public struct JobRun: Sendable, Codable {
    public var id: Int64
    public var job: String
    public var scheduledFor: String?
    public var startedAt: String
    public var finishedAt: String?
    public var outcome: String
    public var trigger: String
    public var counts: [String: [String: Int]]?
    public var error: String?
    enum CodingKeys: String, CodingKey {
        case id, job, scheduledFor = "scheduled_for", startedAt = "started_at", finishedAt = "finished_at", outcome, trigger, counts, error
    }
}

/// Decides which jobs are due and runs them, recording every run in the database.
///
/// Runs are sequential in one process, so a job never runs twice at once; a job whose run is
/// still marked running (by another process, or one that overran) is not started again; a
/// continuous job that overran its interval runs once more, not once per missed interval.
/// All times come from the engine's clock.
public struct JobRunner: Sendable {
    public let engine: Engine
    public let jobs: [JobDefinition]

    public init(engine: Engine) throws {
        self.engine = engine
        let mappings = try engine.loadMappings()
        let pipeline = try engine.loadRules(mappings: mappings).pipeline.map(\.name)
        let (jobs, problems) = Self.definitions(engine.config, pipeline: pipeline)
        guard problems.isEmpty else { throw EngineError.jobs(problems.joined(separator: "\n")) }
        self.jobs = jobs
    }

    /// The jobs of a config, each step name checked against the pipeline of `rules.yaml` and the built-in steps.
    ///
    /// Everything else about a job was checked when `orderflow.yaml` was read; a step name can
    /// only be checked once the pipeline is known. Returns every problem, each with its line and column.
    public static func definitions(_ config: EngineConfig, pipeline: [String]) -> (jobs: [JobDefinition], problems: [String]) {
        let steps = pipeline + BuiltInStep.allCases.map(\.rawValue).filter { !pipeline.contains($0) }
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

    static func definition(_ c: EngineConfig.JobConfig, defaultZone: String, pipeline: [String]) throws(JobProblem) -> JobDefinition {
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
        for step in steps ?? [] where !pipeline.contains(step) {
            throw JobProblem(description: "job '\(c.name)' step '\(step)'\(place(c, step: step)): not in the pipeline of rules.yaml and not a built-in step; the steps are \(pipeline.joined(separator: ", "))")
        }
        if let steps, Set(steps).count != steps.count {
            throw JobProblem(description: "job '\(c.name)': a step is listed twice; a job runs each step once")
        }
        let missed = c.missed ?? "run-once"
        guard ["run-once", "skip"].contains(missed) else {
            throw JobProblem(description: "job '\(c.name)' missed '\(missed)': expected run-once or skip")
        }
        return JobDefinition(name: c.name, schedule: schedule, steps: steps, catchUp: missed == "run-once")
    }

    /// A job that cannot run as configured, in one sentence.
    struct JobProblem: Error, CustomStringConvertible { var description: String }

    public func job(named name: String) throws -> JobDefinition {
        guard let job = jobs.first(where: { $0.name == name }) else {
            throw EngineError.jobs("no job '\(name)'; the jobs are \(jobs.map(\.name).joined(separator: ", "))")
        }
        return job
    }

    /// Marks runs left `running` by a process that died as failed; returns how many.
    @discardableResult
    public func recoverInterrupted() throws -> Int {
        try engine.database.writer.write { db in
            try db.execute(sql: """
                UPDATE job_run SET outcome = 'failed', finished_at = ?, error = 'interrupted: the engine stopped during the run'
                WHERE outcome = 'running'
                """, arguments: [engine.clock.now.description])
            return db.changesCount
        }
    }

    /// Runs every job that is due now, once each. `startup` applies the missed-run policy.
    @discardableResult
    public func tick(startup: Bool = false, options: Engine.RunOptions = Engine.RunOptions()) throws -> [JobRun] {
        let now = engine.clock.now
        var runs: [JobRun] = []
        for job in jobs {
            guard let due = try due(job, at: now, startup: startup) else { continue }
            if due.skip {
                runs.append(try record(job, scheduledFor: due.scheduledFor, trigger: "schedule", outcome: "skipped",
                                       error: "missed while the engine was down; the job's policy is to skip"))
                continue
            }
            runs.append(try run(job, trigger: startup && due.missed ? "catch-up" : "schedule", scheduledFor: due.scheduledFor, options: options))
            if options.stop?.isStopped == true { break }
        }
        return runs
    }

    /// Writes the outbox files the database holds as pending (on a stop, before exiting).
    public func publishPending() {
        let context = CycleContext(engine: engine, cycleID: 0, now: engine.clock.now)
        _ = OutboxPublisher(context: context).publishPending()
    }

    struct Due {
        var scheduledFor: Timestamp?
        var missed: Bool
        var skip: Bool
    }

    func due(_ job: JobDefinition, at now: Timestamp, startup: Bool) throws -> Due? {
        try engine.database.writer.write { db -> Due? in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM job_run WHERE job = ? AND outcome = 'running'", arguments: [job.name]) == true {
                return nil
            }
            switch job.schedule {
            case .every(let seconds):
                let last = try String.fetchOne(db, sql: "SELECT started_at FROM job_run WHERE job = ? AND outcome <> 'skipped' ORDER BY id DESC LIMIT 1",
                                               arguments: [job.name]).flatMap(Timestamp.init(iso8601:))
                guard let last else { return Due(scheduledFor: now, missed: false, skip: false) }
                return now.secondsSinceEpoch >= last.secondsSinceEpoch + Int64(seconds) ? Due(scheduledFor: now, missed: false, skip: false) : nil
            case .cron:
                guard let stateText = try String.fetchOne(db, sql: "SELECT last_scheduled FROM job_state WHERE job = ?", arguments: [job.name]),
                      let state = Timestamp(iso8601: stateText) else {
                    // First start: fire times before now are not owed.
                    try db.execute(sql: "INSERT OR REPLACE INTO job_state (job, last_scheduled) VALUES (?, ?)", arguments: [job.name, now.description])
                    return nil
                }
                guard var latest = job.schedule.next(after: state), latest <= now else { return nil }
                var count = 1
                while let n = job.schedule.next(after: latest), n <= now { latest = n; count += 1 }
                try db.execute(sql: "UPDATE job_state SET last_scheduled = ? WHERE job = ?", arguments: [latest.description, job.name])
                let missed = startup || count > 1
                return Due(scheduledFor: latest, missed: missed, skip: missed && startup && !job.catchUp)
            }
        }
    }

    /// Runs a job now: its steps as one cycle, recorded with outcome and counts.
    @discardableResult
    public func run(_ job: JobDefinition, trigger: String = "manual", scheduledFor: Timestamp? = nil,
                    options: Engine.RunOptions = Engine.RunOptions()) throws -> JobRun {
        let started = engine.clock.now
        let id = try engine.database.writer.write { db -> Int64 in
            try db.execute(sql: "INSERT INTO job_run (job, scheduled_for, started_at, outcome, trigger) VALUES (?, ?, ?, 'running', ?)",
                           arguments: [job.name, scheduledFor?.description, started.description, trigger])
            return db.lastInsertedRowID
        }
        var outcome = "ok", error: String? = nil, counts: String? = nil, cycleID: Int64? = nil
        do {
            let mappings = try engine.loadMappings()
            let rules = try engine.loadRules(mappings: mappings)
            var steps = engine.pipeline(mappings: mappings, rules: rules)
            if let names = job.steps {
                // A job may also name a built-in step that the pipeline leaves out (e.g. back-order-report).
                // rules.yaml is read again for each run, so a rule a job names may have gone since the start.
                steps = try names.map { name throws(EngineError) -> any CycleStep in
                    if let step = steps.first(where: { $0.name == name }) { return step }
                    guard let builtIn = BuiltInStep(rawValue: name) else {
                        throw .jobs("job '\(job.name)': step '\(name)' is no longer in the pipeline of rules.yaml; edit the job or the pipeline")
                    }
                    return engine.builtInStep(builtIn, mappings: mappings)
                }
            }
            let report = try engine.runSteps(steps, options: options)
            cycleID = report.cycleID
            counts = String(decoding: try JSONEncoder().encode(report.counts), as: UTF8.self)
        } catch let e {
            outcome = "failed"
            error = "\(e)"
        }
        try engine.database.writer.write { db in
            try db.execute(sql: "UPDATE job_run SET finished_at = ?, outcome = ?, counts = ?, error = ?, cycle_id = ? WHERE id = ?",
                           arguments: [engine.clock.now.description, outcome, counts, error, cycleID, id])
        }
        let record = try history(job: job.name, limit: 1)[0]
        var metadata: Logger.Metadata = ["job.name": "\(job.name)", "job.trigger": "\(trigger)", "job.outcome": "\(outcome)"]
        for (step, values) in record.counts ?? [:] {
            for (key, value) in values where value != 0 { metadata["\(step).\(key.replacingOccurrences(of: " ", with: "_"))"] = "\(value)" }
        }
        if let error {
            metadata["error"] = "\(error)"
            engine.logger.error("job run failed; it runs again when next due", metadata: metadata)
        } else {
            engine.logger.info("job run", metadata: metadata)
        }
        return record
    }

    func record(_ job: JobDefinition, scheduledFor: Timestamp?, trigger: String, outcome: String, error: String?) throws -> JobRun {
        try engine.database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO job_run (job, scheduled_for, started_at, finished_at, outcome, trigger, error) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [job.name, scheduledFor?.description, engine.clock.now.description, engine.clock.now.description,
                                 outcome, trigger, error])
        }
        return try history(job: job.name, limit: 1)[0]
    }

    /// Past runs, newest first.
    public func history(job: String? = nil, limit: Int = 50) throws -> [JobRun] {
        try engine.database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM job_run \(job == nil ? "" : "WHERE job = ?") ORDER BY id DESC LIMIT ?",
                             arguments: job.map { [$0, limit] } ?? [limit]).map { row in
                JobRun(id: row["id"], job: row["job"], scheduledFor: row["scheduled_for"], startedAt: row["started_at"],
                       finishedAt: row["finished_at"], outcome: row["outcome"], trigger: row["trigger"],
                       counts: (row["counts"] as String?).flatMap { try? JSONDecoder().decode([String: [String: Int]].self, from: Data($0.utf8)) },
                       error: row["error"])
            }
        }
    }

    /// When a job runs next, by its schedule and its last run.
    public func nextRun(of job: JobDefinition) throws -> Timestamp? {
        try engine.database.writer.read { db in
            switch job.schedule {
            case .every(let seconds):
                guard let last = try String.fetchOne(db, sql: "SELECT started_at FROM job_run WHERE job = ? AND outcome <> 'skipped' ORDER BY id DESC LIMIT 1",
                                                     arguments: [job.name]).flatMap(Timestamp.init(iso8601:)) else { return engine.clock.now }
                return Timestamp(secondsSinceEpoch: max(last.secondsSinceEpoch + Int64(seconds), engine.clock.now.secondsSinceEpoch))
            case .cron:
                let state = try String.fetchOne(db, sql: "SELECT last_scheduled FROM job_state WHERE job = ?", arguments: [job.name])
                    .flatMap(Timestamp.init(iso8601:)) ?? engine.clock.now
                return job.schedule.next(after: state)
            }
        }
    }
}
