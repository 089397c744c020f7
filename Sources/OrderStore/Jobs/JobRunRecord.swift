import GRDB

/// One row of `job_run`: a run of a job (or the record of a refused configuration), from `running` to
/// `ok`, `failed` or `skipped`, with its counts (JSON by step) and the cycle it ran.
public struct JobRunRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    /// The table this record is a row of.
    public static let databaseTableName = "job_run"

    public var id: Int64?
    public var job: String
    public var scheduledFor: String?
    public var startedAt: String
    public var finishedAt: String?
    /// `running`, `ok`, `failed` or `skipped` (a CHECK of the table).
    public var outcome: JobOutcome
    /// `schedule`, `catch-up`, `manual` or `reload`.
    public var trigger: JobTrigger
    public var counts: String?
    public var error: String?
    public var cycleID: Int64?

    /// The columns of `job_run`, for queries.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let job = Column(CodingKeys.job)
        public static let scheduledFor = Column(CodingKeys.scheduledFor)
        public static let startedAt = Column(CodingKeys.startedAt)
        public static let finishedAt = Column(CodingKeys.finishedAt)
        public static let outcome = Column(CodingKeys.outcome)
        public static let trigger = Column(CodingKeys.trigger)
        public static let counts = Column(CodingKeys.counts)
        public static let error = Column(CodingKeys.error)
        public static let cycleID = Column(CodingKeys.cycleID)
    }

    enum CodingKeys: String, CodingKey {
        case id, job, scheduledFor = "scheduled_for", startedAt = "started_at", finishedAt = "finished_at", outcome, trigger, counts, error
        case cycleID = "cycle_id"
    }

    /// A row with these values (`id` nil until inserted).
    public init(id: Int64? = nil, job: String, scheduledFor: String? = nil, startedAt: String, finishedAt: String? = nil, outcome: JobOutcome,
                trigger: JobTrigger, counts: String? = nil, error: String? = nil, cycleID: Int64? = nil) {
        self.id = id; self.job = job; self.scheduledFor = scheduledFor; self.startedAt = startedAt; self.finishedAt = finishedAt
        self.outcome = outcome; self.trigger = trigger; self.counts = counts; self.error = error; self.cycleID = cycleID
    }

    /// Takes the row id SQLite gave the inserted row.
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
