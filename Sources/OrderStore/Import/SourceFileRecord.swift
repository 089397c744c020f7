import GRDB

/// One row of `source_file`: an inbox file the engine took, and what became of it (`imported`,
/// `duplicate` of an earlier file's content, or `failed` with the reason).
///
/// The row is written in the transaction that decides the file's outcome, before the file is moved, so
/// a file found in `processing/` after a crash is finished from its row without being read again.
public struct SourceFileRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    /// The table this record is a row of.
    public static let databaseTableName = "source_file"

    public var id: Int64?
    /// The feed's name (`orders`, `customers`…).
    public var feed: String
    public var mapping: String?
    /// `inbox-folder/name`, as reports show it.
    public var name: String
    /// The file's unique name while claimed (in `processing/`).
    public var claimName: String
    /// The SHA-256 of its content (empty for a file that could not be read).
    public var contentHash: String
    public var size: Int
    /// `imported`, `duplicate` or `failed` (a CHECK of the table).
    public var outcome: SourceFileOutcome
    public var reason: String?
    public var records: Int
    public var rejected: Int
    public var processedAt: String
    public var cycleID: Int64?

    /// The columns of `source_file`, for queries.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let feed = Column(CodingKeys.feed)
        public static let mapping = Column(CodingKeys.mapping)
        public static let name = Column(CodingKeys.name)
        public static let claimName = Column(CodingKeys.claimName)
        public static let contentHash = Column(CodingKeys.contentHash)
        public static let size = Column(CodingKeys.size)
        public static let outcome = Column(CodingKeys.outcome)
        public static let reason = Column(CodingKeys.reason)
        public static let records = Column(CodingKeys.records)
        public static let rejected = Column(CodingKeys.rejected)
        public static let processedAt = Column(CodingKeys.processedAt)
        public static let cycleID = Column(CodingKeys.cycleID)
    }

    enum CodingKeys: String, CodingKey {
        case id, feed, mapping, name, claimName = "claim_name", contentHash = "content_hash", size, outcome, reason, records, rejected
        case processedAt = "processed_at", cycleID = "cycle_id"
    }

    /// A row with these values (`id` nil until inserted).
    public init(id: Int64? = nil, feed: String, mapping: String?, name: String, claimName: String, contentHash: String, size: Int,
                outcome: SourceFileOutcome, reason: String?, records: Int = 0, rejected: Int = 0, processedAt: String, cycleID: Int64?) {
        self.id = id; self.feed = feed; self.mapping = mapping; self.name = name; self.claimName = claimName
        self.contentHash = contentHash; self.size = size; self.outcome = outcome; self.reason = reason; self.records = records
        self.rejected = rejected; self.processedAt = processedAt; self.cycleID = cycleID
    }

    /// Takes the row id SQLite gave the inserted row.
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
