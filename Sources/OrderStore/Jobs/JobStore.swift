import GRDB
import OrderModel

/// Which recorded job runs a history lists (`jobs history` and its filters), newest first.
public struct JobRunQuery: Sendable, Hashable {
    public var job: String?
    /// One run, by its id.
    public var id: Int64?
    /// Runs that started at or after this time.
    public var since: Timestamp?
    /// Only failed runs.
    public var failedOnly = false
    /// Only runs that did something: failed, skipped, or a count above zero.
    public var busyOnly = false
    public var limit: Int

    /// A value with these fields.
    public init(job: String? = nil, id: Int64? = nil, since: Timestamp? = nil, failedOnly: Bool = false, busyOnly: Bool = false, limit: Int) {
        self.job = job; self.id = id; self.since = since; self.failedOnly = failedOnly; self.busyOnly = busyOnly; self.limit = limit
    }
}

/// The store's record of the job executor: runs (`job_run`), the schedule's memory (`job_state`), idle
/// runs counted instead of recorded (`job_idle`) and a person's requests to the running engine
/// (`job_request`). Which job is due, and what a run does, is decided by the engine's `JobRunner`.
extension OrderDatabase {
    /// Marks every run still `running` as failed at `now` with `error` (its process died); returns how many.
    public func failRunningJobRuns(at now: Timestamp, error: String) throws -> Int {
        try writer.write { db in
            try JobRunRecord.filter(JobRunRecord.Columns.outcome == JobOutcome.running.rawValue).updateAll(
                db, JobRunRecord.Columns.outcome.set(to: JobOutcome.failed.rawValue), JobRunRecord.Columns.finishedAt.set(to: now.description),
                JobRunRecord.Columns.error.set(to: error))
        }
    }

    /// Records a run (started, or already finished); returns its id.
    public func recordJobRun(_ run: JobRunRecord) throws -> Int64 {
        try writer.write { db in
            var run = run
            try run.insert(db)
            return run.id ?? db.lastInsertedRowID
        }
    }

    /// Records how a running run ended.
    public func finishJobRun(_ id: Int64, at now: Timestamp, outcome: JobOutcome, counts: String?, error: String?, cycleID: Int64?) throws {
        try writer.write { db in
            _ = try JobRunRecord.filter(key: id).updateAll(
                db, JobRunRecord.Columns.finishedAt.set(to: now.description), JobRunRecord.Columns.outcome.set(to: outcome.rawValue),
                JobRunRecord.Columns.counts.set(to: counts), JobRunRecord.Columns.error.set(to: error),
                JobRunRecord.Columns.cycleID.set(to: cycleID))
        }
    }

    /// Removes an idle run's rows (its run, and its cycle with the process rules' empty runs, unless
    /// something points at that cycle) and counts it in `job_idle` instead, in one transaction.
    public func compactIdleJobRun(_ runID: Int64, cycleID: Int64, job: String, startedAt: Timestamp) throws {
        try writer.write { db in
            try JobRunRecord.deleteOne(db, key: runID)
            // A cycle row something else points at (it should not, for an idle cycle) is kept.
            try? db.inSavepoint {
                // Process rules record each run; one that matched nothing goes with its idle cycle.
                try db.execute(sql: "DELETE FROM rule_run WHERE cycle_id = ? AND matched = 0 AND acted = 0", arguments: [cycleID])
                try CycleRecord.deleteOne(db, key: cycleID)
                return .commit
            }
            try db.execute(sql: """
                INSERT INTO job_idle (job, runs, since, last_at) VALUES (?, 1, ?, ?)
                ON CONFLICT (job) DO UPDATE SET runs = runs + 1, last_at = excluded.last_at
                """, arguments: [job, startedAt.description, startedAt.description])
        }
    }

    /// The idle counters, by job.
    public func idleJobRuns() throws -> [JobIdleRecord] {
        try writer.read { db in try JobIdleRecord.order(JobIdleRecord.Columns.job).fetchAll(db) }
    }

    /// Deletes the runs that started before `cutoff` (never one still running); returns how many.
    /// The delete walks the `job_run_started` index, so it costs what it removes.
    public func pruneJobRuns(startedBefore cutoff: Timestamp) throws -> Int {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM job_run WHERE started_at < ? AND outcome <> \(JobOutcome.running.sql)", arguments: [cutoff.description])
            return db.changesCount
        }
    }

    /// Recorded runs, newest first.
    public func jobRuns(_ query: JobRunQuery) throws -> [JobRunRecord] {
        var conditions: [String] = [], arguments: [any DatabaseValueConvertible] = []
        if let job = query.job { conditions.append("job = ?"); arguments.append(job) }
        if let id = query.id { conditions.append("id = ?"); arguments.append(id) }
        if let since = query.since { conditions.append("started_at >= ?"); arguments.append(since.description) }
        if query.failedOnly { conditions.append("outcome = \(JobOutcome.failed.sql)") }
        if query.busyOnly {
            conditions.append("""
                (outcome <> \(JobOutcome.ok.sql) OR EXISTS (SELECT 1 FROM json_each(job_run.counts) s, json_each(s.value) c WHERE c.value <> 0))
                """)
        }
        arguments.append(query.limit)
        let whereSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try writer.read { db in
            try JobRunRecord.fetchAll(db, sql: "SELECT * FROM job_run \(whereSQL) ORDER BY id DESC LIMIT ?",
                                      arguments: StatementArguments(arguments))
        }
    }

    // MARK: Requests

    /// Records a person's request to run `job`; returns its id.
    public func requestJobRun(_ job: String, at now: Timestamp, by person: String) throws -> Int64 {
        try writer.write { db in
            var request = JobRequestRecord(job: job, requestedAt: now.description, requestedBy: person)
            try request.insert(db)
            return request.id ?? db.lastInsertedRowID
        }
    }

    /// One request, answered or not; nil if it is not (or no longer) recorded.
    public func jobRequest(_ id: Int64) throws -> JobRequestRecord? {
        try writer.read { db in try JobRequestRecord.fetchOne(db, key: id) }
    }

    /// Withdraws a request nobody answered.
    public func withdrawJobRequest(_ id: Int64) throws {
        try writer.write { db in
            _ = try JobRequestRecord.filter(key: id).filter(JobRequestRecord.Columns.answeredAt == nil).deleteAll(db)
        }
    }

    /// Whether any request waits for an answer (walks the `job_request_open` index).
    public func hasOpenJobRequests() throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM job_request WHERE answered_at IS NULL LIMIT 1") == true
        }
    }

    /// The requests waiting for an answer, oldest first.
    public func openJobRequests() throws -> [JobRequestRecord] {
        try writer.read { db in
            try JobRequestRecord.filter(JobRequestRecord.Columns.answeredAt == nil).order(JobRequestRecord.Columns.id).fetchAll(db)
        }
    }

    /// Answers a request: the run that answered it, or why the engine refused.
    public func answerJobRequest(_ id: Int64, at now: Timestamp, runID: Int64?, error: String?) throws {
        try writer.write { db in
            _ = try JobRequestRecord.filter(key: id).updateAll(
                db, JobRequestRecord.Columns.answeredAt.set(to: now.description), JobRequestRecord.Columns.runID.set(to: runID),
                JobRequestRecord.Columns.error.set(to: error))
        }
    }
}

extension StoreTransaction {
    /// Whether a run of `job` is marked running (by another process, or one that overran).
    public func isJobRunning(_ job: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM job_run WHERE job = ? AND outcome = \(JobOutcome.running.sql)", arguments: [job]) == true
    }

    /// When `job` last started: its last recorded run (a skipped one does not count), or its last idle run
    /// (counted, not recorded), whichever is later; nil if it never ran.
    public func lastStart(of job: String) throws -> Timestamp? {
        let recorded = try String.fetchOne(db, sql: "SELECT started_at FROM job_run WHERE job = ? AND outcome <> \(JobOutcome.skipped.sql) ORDER BY id DESC LIMIT 1",
                                           arguments: [job]).flatMap(Timestamp.init(iso8601:))
        let idle = try String.fetchOne(db, sql: "SELECT last_at FROM job_idle WHERE job = ?", arguments: [job]).flatMap(Timestamp.init(iso8601:))
        return [recorded, idle].compactMap { $0 }.max()
    }

    /// The last fire time of a cron job that was accounted for; nil if none is recorded (or it cannot be read).
    public func lastScheduled(of job: String) throws -> Timestamp? {
        try String.fetchOne(db, sql: "SELECT last_scheduled FROM job_state WHERE job = ?", arguments: [job]).flatMap(Timestamp.init(iso8601:))
    }

    /// Records the last fire time of a cron job that was accounted for.
    public func setLastScheduled(of job: String, to time: Timestamp) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO job_state (job, last_scheduled) VALUES (?, ?)", arguments: [job, time.description])
    }
}
