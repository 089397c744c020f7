/// How a job run ended (`job_run.outcome`, a CHECK of the schema).
public enum JobOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// Started and not finished: still going, or the process stopped (marked failed at the next start).
    case running
    case ok
    case failed
    /// Missed while the engine was down, and the job's policy is to skip missed runs.
    case skipped

    /// The outcome as an SQL string literal for the store's statements (see `Stage.sql`).
    package var sql: String { "'\(rawValue)'" }
}

/// Why a job run started (`job_run.trigger`).
public enum JobTrigger: String, Sendable, Hashable, Codable, CaseIterable {
    /// Its schedule came due.
    case schedule
    /// A run missed while the engine was down, run once at start-up.
    case catchUp = "catch-up"
    /// A person asked (`jobs run NAME`).
    case manual
    /// The running engine refused an edited configuration (a failed run of `configuration`).
    case reload
}
