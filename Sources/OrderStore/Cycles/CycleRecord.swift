import GRDB

/// One row of `cycle`: a run of the pipeline (or of one step, a job's steps, an allocation), with what it
/// did (`summary`, JSON counts by step) or why it failed (`error`).
///
/// A cycle row is what every stamp of the cycle points at (history, exceptions, outbox files, source files),
/// so it is written first, before any step, and finished last.
public struct CycleRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    /// The table this record is a row of.
    public static let databaseTableName = "cycle"

    public var id: Int64?
    public var startedAt: String
    public var finishedAt: String?
    public var summary: String?
    public var error: String?

    /// The columns of `cycle`, for queries.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let startedAt = Column(CodingKeys.startedAt)
        public static let finishedAt = Column(CodingKeys.finishedAt)
        public static let summary = Column(CodingKeys.summary)
        public static let error = Column(CodingKeys.error)
    }

    enum CodingKeys: String, CodingKey {
        case id, startedAt = "started_at", finishedAt = "finished_at", summary, error
    }

    /// A row with these values (`id` nil until inserted).
    public init(id: Int64? = nil, startedAt: String, finishedAt: String? = nil, summary: String? = nil, error: String? = nil) {
        self.id = id; self.startedAt = startedAt; self.finishedAt = finishedAt; self.summary = summary; self.error = error
    }

    /// Takes the row id SQLite gave the inserted row.
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
