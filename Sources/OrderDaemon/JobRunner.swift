import Foundation
import Logging
import OrderImport
import OrderJobs
import OrderEngine
import OrderModel
import OrderStore

/// One recorded run of a job.
public struct JobRun: Sendable, Codable {
    public var id: Int64
    public var job: String
    public var scheduledFor: String?
    public var startedAt: String
    public var finishedAt: String?
    public var outcome: JobOutcome
    public var trigger: JobTrigger
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

    /// The mappings and rules the runs use: loaded once, so a running engine keeps its last good set
    /// until a reload (`ConfigurationReloader`) replaces the whole runner at a cycle boundary.
    public let mappings: [Mapping]
    public let rules: RulesFile
    /// Why the mappings or rules could not be read (a runner made for reading only, see `reading(engine:)`).
    public let problem: String?

    /// Loads the mappings, the rules and the jobs, refusing any that is broken.
    public init(engine: Engine) throws {
        let mappings = try engine.loadMappings()
        try self.init(engine: engine, mappings: mappings, rules: try engine.loadRules(mappings: mappings))
    }

    /// A runner on mappings and rules already loaded (and checked).
    public init(engine: Engine, mappings: [Mapping], rules: RulesFile) throws {
        try self.init(engine: engine, mappings: mappings, rules: rules, pipeline: rules.pipeline.map(\.name), problem: nil)
    }

    /// A runner for the read-only commands (`jobs`, `jobs history`): a broken rules.yaml or mapping is
    /// reported in `problem` instead of refusing, and the jobs' step names are not checked against it.
    public static func reading(engine: Engine) throws -> JobRunner {
        do {
            return try JobRunner(engine: engine)
        } catch let error as EngineError where { if case .jobs = error { false } else { true } }() {
            return try JobRunner(engine: engine, mappings: [], rules: .standard, pipeline: nil, problem: EngineError.oneLine(error))
        }
    }

    init(engine: Engine, mappings: [Mapping], rules: RulesFile, pipeline: [String]?, problem: String?) throws {
        self.engine = engine
        self.mappings = mappings
        self.rules = rules
        self.problem = problem
        let (jobs, problems) = JobDefinition.definitions(engine.config, pipeline: pipeline)
        guard problems.isEmpty else { throw EngineError.jobs(problems.joined(separator: "\n")) }
        self.jobs = jobs
    }

    public func job(named name: String) throws -> JobDefinition {
        guard let job = jobs.first(where: { $0.name == name }) else {
            throw EngineError.jobs("no job '\(name)'; the jobs are \(jobs.map(\.name).joined(separator: ", "))")
        }
        return job
    }

    /// Marks runs left `running` by a process that died as failed; returns how many.
    @discardableResult
    public func recoverInterrupted() throws -> Int {
        try engine.database.failRunningJobRuns(at: engine.clock.now, error: "interrupted: the engine stopped during the run")
    }

    /// Runs every job that is due now, once each. `startup` applies the missed-run policy.
    @discardableResult
    public func tick(startup: Bool = false, options: Engine.RunOptions = Engine.RunOptions()) throws -> [JobRun] {
        let now = engine.clock.now
        var runs: [JobRun] = []
        for job in jobs {
            guard let due = try due(job, at: now, startup: startup) else { continue }
            if due.skip {
                runs.append(try record(job, scheduledFor: due.scheduledFor, trigger: .schedule, outcome: .skipped,
                                       error: "missed while the engine was down; the job's policy is to skip"))
                continue
            }
            runs.append(try run(job, trigger: startup && due.missed ? .catchUp : .schedule, scheduledFor: due.scheduledFor, options: options))
            if options.stop?.isStopped == true { break }
        }
        return runs
    }

    /// Writes the outbox files the database holds as pending (on a stop, before exiting).
    public func publishPending() {
        engine.publishPending()
    }

    struct Due {
        var scheduledFor: Timestamp?
        var missed: Bool
        var skip: Bool
    }

    func due(_ job: JobDefinition, at now: Timestamp, startup: Bool) throws -> Due? {
        try engine.database.write { tx -> Due? in
            if try tx.isJobRunning(job.name) { return nil }
            switch job.schedule {
            case .every(let seconds):
                guard let last = try tx.lastStart(of: job.name) else { return Due(scheduledFor: now, missed: false, skip: false) }
                return now.secondsSinceEpoch >= last.secondsSinceEpoch + Int64(seconds) ? Due(scheduledFor: now, missed: false, skip: false) : nil
            case .cron:
                guard let state = try tx.lastScheduled(of: job.name) else {
                    // First start: fire times before now are not owed.
                    try tx.setLastScheduled(of: job.name, to: now)
                    return nil
                }
                guard var latest = job.schedule.next(after: state), latest <= now else { return nil }
                var count = 1
                while let n = job.schedule.next(after: latest), n <= now { latest = n; count += 1 }
                try tx.setLastScheduled(of: job.name, to: latest)
                let missed = startup || count > 1
                return Due(scheduledFor: latest, missed: missed, skip: missed && startup && !job.catchUp)
            }
        }
    }

    /// Runs a job now: its steps as one cycle, recorded with outcome and counts.
    ///
    /// A scheduled run that found nothing to do (`CycleReport.isIdle`) is not kept: its run and cycle rows
    /// are removed and the job's idle counter (`idleRuns()`) goes up, so the record holds what happened.
    @discardableResult
    public func run(_ job: JobDefinition, trigger: JobTrigger = .manual, scheduledFor: Timestamp? = nil,
                    options: Engine.RunOptions = Engine.RunOptions()) throws -> JobRun {
        let started = engine.clock.now
        let id = try engine.database.recordJobRun(JobRunRecord(job: job.name, scheduledFor: scheduledFor?.description,
                                                              startedAt: started.description, outcome: .running, trigger: trigger))
        var outcome = JobOutcome.ok, error: String? = nil, counts: String? = nil, cycleID: Int64? = nil
        do {
            if let problem { throw EngineError.config(problem) }
            var steps = engine.pipeline(mappings: mappings, rules: rules)
            if let names = job.steps {
                // A job may also name a built-in step that the pipeline leaves out (e.g. back-order-report).
                steps = try names.map { name throws(EngineError) -> any CycleStep in
                    // A report the job names is a scheduled report: by default it is written even when empty.
                    if name == BuiltInStep.backOrderReport.rawValue { return BackOrderReportStep(writeEmpty: job.writeEmptyReports, mappings: mappings) }
                    if let step = steps.first(where: { $0.name == name }) { return step }
                    guard let builtIn = BuiltInStep(rawValue: name) else {
                        throw .jobs("job '\(job.name)': step '\(name)' is not in the pipeline of rules.yaml; edit the job or the pipeline")
                    }
                    return engine.builtInStep(builtIn, mappings: mappings)
                }
            }
            let report = try engine.runSteps(steps, options: options)
            if report.isIdle && trigger != .manual {
                return try compactIdle(job: job.name, runID: id, cycleID: report.cycleID, startedAt: started, scheduledFor: scheduledFor,
                                       trigger: trigger, counts: report.counts)
            }
            cycleID = report.cycleID
            counts = String(decoding: try JSONEncoder().encode(report.counts), as: UTF8.self)
        } catch let e {
            outcome = .failed
            error = EngineError.oneLine(e)
        }
        try engine.database.finishJobRun(id, at: engine.clock.now, outcome: outcome, counts: counts, error: error, cycleID: cycleID)
        let record = try history(job: job.name, limit: 1)[0]
        var metadata: Logger.Metadata = ["job.name": "\(job.name)", "job.trigger": "\(trigger.rawValue)", "job.outcome": "\(outcome.rawValue)"]
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

    /// Removes an idle run's rows and counts it instead; returns the run as it would have been recorded.
    func compactIdle(job: String, runID: Int64, cycleID: Int64, startedAt: Timestamp, scheduledFor: Timestamp?, trigger: JobTrigger,
                     counts: [String: [String: Int]]) throws -> JobRun {
        let finished = engine.clock.now
        try engine.database.compactIdleJobRun(runID, cycleID: cycleID, job: job, startedAt: startedAt)
        return JobRun(id: runID, job: job, scheduledFor: scheduledFor?.description, startedAt: startedAt.description,
                      finishedAt: finished.description, outcome: .ok, trigger: trigger, counts: counts, error: nil)
    }

    /// A job's runs that found nothing to do: how many, since when, the last.
    public struct IdleRuns: Sendable, Codable, Hashable {
        public var job: String
        public var runs: Int
        public var since: String
        public var lastAt: String
        enum CodingKeys: String, CodingKey { case job, runs, since, lastAt = "last_at" }
    }

    /// The idle counters, by job.
    public func idleRuns() throws -> [IdleRuns] {
        try Self.idleRuns(engine.database)
    }

    public static func idleRuns(_ database: OrderDatabase) throws -> [IdleRuns] {
        try database.idleJobRuns().map { IdleRuns(job: $0.job, runs: $0.runs, since: $0.since, lastAt: $0.lastAt) }
    }

    /// How long the record of runs is kept when the config names no other retention.
    public static let defaultRetentionDays = 90

    /// Deletes the runs that started before `cutoff` (never one still running); returns how many.
    /// The delete walks the `job_run_started` index, so it costs what it removes.
    @discardableResult
    public func prune(before cutoff: Timestamp) throws -> Int {
        try engine.database.pruneJobRuns(startedBefore: cutoff)
    }

    /// Asks the running engine to run a job now (`jobs run NAME` while `run` holds the home); returns the
    /// request's id, for `answer(to:)`.
    public static func request(_ job: String, engine: Engine) throws -> Int64 {
        try engine.database.requestJobRun(job, at: engine.clock.now, by: engine.user)
    }

    /// The run that answered a request, or the engine's refusal; nil while it waits.
    public static func answer(to request: Int64, engine: Engine) throws -> Result<JobRun, EngineError>? {
        guard let row = try engine.database.jobRequest(request), row.answeredAt != nil else { return nil }
        if let error = row.error { return .failure(.jobs(error)) }
        guard let runID = row.runID,
              let run = try history(engine.database, filter: HistoryFilter(id: runID), limit: 1).first else {
            return .failure(.jobs("the engine ran the job but its run is no longer recorded"))
        }
        return .success(run)
    }

    /// Withdraws a request nobody answered (the asking command gave up waiting).
    public static func withdraw(_ request: Int64, engine: Engine) throws {
        try engine.database.withdrawJobRequest(request)
    }

    /// Whether a person asked for a run (the daemon cuts its sleep short).
    public func hasRequests() -> Bool {
        (try? engine.database.hasOpenJobRequests()) == true
    }

    /// Runs each job a person asked for (trigger `manual`, always recorded) and answers the requests.
    @discardableResult
    public func answerRequests(options: Engine.RunOptions = Engine.RunOptions()) throws -> [JobRun] {
        let open = try engine.database.openJobRequests()
        var runs: [JobRun] = []
        for request in open {
            let id = request.id ?? 0, name = request.job, by = request.requestedBy
            var runID: Int64? = nil, error: String? = nil
            do {
                let run = try run(try job(named: name), trigger: .manual, options: options)
                runs.append(run)
                runID = run.id
            } catch let e {
                error = EngineError.oneLine(e)
            }
            engine.logger.notice("job run asked for", metadata: ["job.name": "\(name)", "requested_by": "\(by)", "request.id": "\(id)"])
            try engine.database.answerJobRequest(id, at: engine.clock.now, runID: runID, error: error)
            if options.stop?.isStopped == true { break }
        }
        return runs
    }

    /// Records a configuration edit the running engine refused (it keeps running on its last good one):
    /// a failed run of the pseudo-job `configuration`, so `status` and `jobs history --failed` show it.
    public func recordRejectedConfiguration(_ error: String) throws {
        let now = engine.clock.now.description
        _ = try engine.database.recordJobRun(JobRunRecord(job: "configuration", startedAt: now, finishedAt: now, outcome: .failed,
                                                          trigger: .reload, error: error))
    }

    func record(_ job: JobDefinition, scheduledFor: Timestamp?, trigger: JobTrigger, outcome: JobOutcome, error: String?) throws -> JobRun {
        _ = try engine.database.recordJobRun(JobRunRecord(job: job.name, scheduledFor: scheduledFor?.description,
                                                          startedAt: engine.clock.now.description, finishedAt: engine.clock.now.description,
                                                          outcome: outcome, trigger: trigger, error: error))
        return try history(job: job.name, limit: 1)[0]
    }

    /// Past runs, newest first.
    public func history(job: String? = nil, limit: Int = 50) throws -> [JobRun] {
        try Self.history(engine.database, filter: HistoryFilter(job: job), limit: limit)
    }

    /// Which runs `jobs history` lists.
    public struct HistoryFilter: Sendable {
        public var job: String?
        /// One run, by its id.
        public var id: Int64?
        /// Runs that started at or after this time.
        public var since: Timestamp?
        /// Only failed runs.
        public var failedOnly = false
        /// Only runs that did something: failed, skipped, or a count above zero.
        public var busyOnly = false
        public init(job: String? = nil, id: Int64? = nil, since: Timestamp? = nil, failedOnly: Bool = false, busyOnly: Bool = false) {
            self.job = job; self.id = id; self.since = since; self.failedOnly = failedOnly; self.busyOnly = busyOnly
        }
    }

    /// Past runs, newest first; needs only the database (it works while the config is broken).
    public static func history(_ database: OrderDatabase, filter: HistoryFilter, limit: Int = 50) throws -> [JobRun] {
        let query = JobRunQuery(job: filter.job, id: filter.id, since: filter.since, failedOnly: filter.failedOnly,
                                busyOnly: filter.busyOnly, limit: limit)
        return try database.jobRuns(query).map { run in
            JobRun(id: run.id ?? 0, job: run.job, scheduledFor: run.scheduledFor, startedAt: run.startedAt, finishedAt: run.finishedAt,
                   outcome: run.outcome, trigger: run.trigger,
                   counts: run.counts.flatMap { try? JSONDecoder().decode([String: [String: Int]].self, from: Data($0.utf8)) },
                   error: run.error)
        }
    }

    /// When a job runs next, by its schedule and its last run.
    public func nextRun(of job: JobDefinition) throws -> Timestamp? {
        try engine.database.read { tx in
            switch job.schedule {
            case .every(let seconds):
                guard let last = try tx.lastStart(of: job.name) else { return engine.clock.now }
                return Timestamp(secondsSinceEpoch: max(last.secondsSinceEpoch + Int64(seconds), engine.clock.now.secondsSinceEpoch))
            case .cron:
                let state = try tx.lastScheduled(of: job.name) ?? engine.clock.now
                return job.schedule.next(after: state)
            }
        }
    }
}
