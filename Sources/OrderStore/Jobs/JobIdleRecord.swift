import GRDB

/// One row of `job_idle`: the scheduled runs of a job that found nothing to do, counted instead of
/// recorded one by one (how many, since when, the last).
public struct JobIdleRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    /// The table this record is a row of.
    public static let databaseTableName = "job_idle"

    public var job: String
    public var runs: Int
    public var since: String
    public var lastAt: String

    /// The columns of `job_idle`, for queries.
    public enum Columns {
        public static let job = Column(CodingKeys.job)
        public static let runs = Column(CodingKeys.runs)
        public static let since = Column(CodingKeys.since)
        public static let lastAt = Column(CodingKeys.lastAt)
    }

    enum CodingKeys: String, CodingKey { case job, runs, since, lastAt = "last_at" }
}
