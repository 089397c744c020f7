import GRDB

/// One row of `job_request`: a person's request that the running engine run a job now, and its answer
/// (the run, or the engine's refusal).
public struct JobRequestRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    /// The table this record is a row of.
    public static let databaseTableName = "job_request"

    public var id: Int64?
    public var job: String
    public var requestedAt: String
    public var requestedBy: String
    /// Nil while the request waits.
    public var answeredAt: String?
    public var runID: Int64?
    public var error: String?

    /// The columns of `job_request`, for queries.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let job = Column(CodingKeys.job)
        public static let requestedAt = Column(CodingKeys.requestedAt)
        public static let requestedBy = Column(CodingKeys.requestedBy)
        public static let answeredAt = Column(CodingKeys.answeredAt)
        public static let runID = Column(CodingKeys.runID)
        public static let error = Column(CodingKeys.error)
    }

    enum CodingKeys: String, CodingKey {
        case id, job, requestedAt = "requested_at", requestedBy = "requested_by", answeredAt = "answered_at", runID = "run_id", error
    }

    /// A row with these values (`id` nil until inserted).
    public init(id: Int64? = nil, job: String, requestedAt: String, requestedBy: String, answeredAt: String? = nil, runID: Int64? = nil,
                error: String? = nil) {
        self.id = id; self.job = job; self.requestedAt = requestedAt; self.requestedBy = requestedBy; self.answeredAt = answeredAt
        self.runID = runID; self.error = error
    }

    /// Takes the row id SQLite gave the inserted row.
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
