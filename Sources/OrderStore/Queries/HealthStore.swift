import GRDB
import OrderModel

/// What the database says about the engine's health, for `status` beside (or without) a running engine:
/// its last good cycle, its last failed run and how many runs failed lately.
public struct RunRecord: Sendable, Hashable {
    /// A cycle that finished without error: its id and times as stored.
    public struct GoodCycle: Sendable, Hashable {
        public var id: Int64
        public var startedAt: String
        public var finishedAt: String?
    }

    /// A failed run of a job (or a rejected configuration edit): its name, when it ended, and why.
    public struct FailedRun: Sendable, Hashable {
        public var job: String
        public var at: String
        public var error: String
    }

    public var lastGoodCycle: GoodCycle?
    public var lastFailure: FailedRun?
    /// Runs that failed since the time asked for.
    public var runsFailed: Int
}

extension OrderDatabase {
    /// The last good cycle, the last failed run and the runs failed since `failedSince`, read in one
    /// snapshot so the three agree with each other.
    public func runRecord(failedSince: Timestamp) throws -> RunRecord {
        try writer.read { db in
            let cycle = try Row.fetchOne(db, sql: """
                SELECT id, started_at, finished_at FROM cycle WHERE finished_at IS NOT NULL AND error IS NULL ORDER BY id DESC LIMIT 1
                """).map { RunRecord.GoodCycle(id: $0["id"], startedAt: $0["started_at"], finishedAt: $0["finished_at"]) }
            let failure = try Row.fetchOne(db, sql: """
                SELECT job, COALESCE(finished_at, started_at) AS at, COALESCE(error, '') AS error FROM job_run
                WHERE outcome = \(JobOutcome.failed.sql) ORDER BY id DESC LIMIT 1
                """).map { RunRecord.FailedRun(job: $0["job"], at: $0["at"], error: $0["error"]) }
            let failed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job_run WHERE outcome = \(JobOutcome.failed.sql) AND started_at >= ?",
                                          arguments: [failedSince.description]) ?? 0
            return RunRecord(lastGoodCycle: cycle, lastFailure: failure, runsFailed: failed)
        }
    }
}
