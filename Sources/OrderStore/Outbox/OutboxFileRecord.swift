import Foundation
import GRDB

/// One row of `outbox_file`: a document stored in the transaction that produced it, and copied to the
/// outbox afterwards (`written_at` set, `content` emptied: the file is the record from then on).
public struct OutboxFileRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    /// The table this record is a row of.
    public static let databaseTableName = "outbox_file"

    public var id: Int64?
    /// The outbox folder (`picklists`, `purchase-orders`, a rule's folder).
    public var folder: String
    public var name: String
    public var content: Data
    public var rows: Int
    public var cycleID: Int64?
    public var createdAt: String
    public var writtenAt: String?
    /// The outbox sequence the document was numbered in (`picklists`, `purchase-orders`, …) and its number;
    /// nil for a document stored before they were kept (its name tells them).
    public var sequence: String?
    public var number: Int?

    /// The columns of `outbox_file`, for queries.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let folder = Column(CodingKeys.folder)
        public static let name = Column(CodingKeys.name)
        public static let content = Column(CodingKeys.content)
        public static let rows = Column(CodingKeys.rows)
        public static let cycleID = Column(CodingKeys.cycleID)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let writtenAt = Column(CodingKeys.writtenAt)
        public static let sequence = Column(CodingKeys.sequence)
        public static let number = Column(CodingKeys.number)
    }

    enum CodingKeys: String, CodingKey {
        case id, folder, name, content, rows, cycleID = "cycle_id", createdAt = "created_at", writtenAt = "written_at", sequence, number
    }

    /// A row with these values (`id` nil until inserted).
    public init(id: Int64? = nil, folder: String, name: String, content: Data, rows: Int, cycleID: Int64?, createdAt: String,
                writtenAt: String? = nil, sequence: String? = nil, number: Int? = nil) {
        self.id = id; self.folder = folder; self.name = name; self.content = content; self.rows = rows; self.cycleID = cycleID
        self.createdAt = createdAt; self.writtenAt = writtenAt; self.sequence = sequence; self.number = number
    }

    /// Takes the row id SQLite gave the inserted row.
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
