import GRDB
import OrderModel

/// The store's record of inbox files: what became of a claimed file, whether its content was imported
/// before, and the inbox oddities reported once.
extension OrderDatabase {
    /// The outcome already recorded for a claimed file (an interrupted run decided it, the move is left).
    public func sourceFile(claimName: String) throws -> SourceFileRecord? {
        try writer.read { db in try SourceFileRecord.filter(SourceFileRecord.Columns.claimName == claimName).fetchOne(db) }
    }

    /// The file that imported this content before, if any (walks the `source_file_imported_hash` index).
    public func importedSourceFile(contentHash: String) throws -> SourceFileRecord? {
        try writer.read { db in
            try SourceFileRecord.fetchOne(db, sql: "SELECT * FROM source_file WHERE content_hash = ? AND outcome = \(SourceFileOutcome.imported.sql)",
                                          arguments: [contentHash])
        }
    }
}

extension StoreTransaction {
    /// Records a file's outcome; returns the row's id.
    public func recordSourceFile(_ file: SourceFileRecord) throws -> Int64 {
        var file = file
        try file.insert(db)
        return file.id ?? db.lastInsertedRowID
    }

    /// Records how many records a file held and how many were refused.
    public func countSourceFile(_ id: Int64, records: Int, rejected: Int) throws {
        _ = try SourceFileRecord.filter(key: id).updateAll(db, SourceFileRecord.Columns.records.set(to: records),
                                                       SourceFileRecord.Columns.rejected.set(to: rejected))
    }

    /// Records an inbox oddity at `path` the first time it is seen; false if it was reported before.
    public func noticeInboxOddity(at path: String, reason: String, now: Timestamp) throws -> Bool {
        try db.execute(sql: "INSERT OR IGNORE INTO inbox_notice (path, reason, at) VALUES (?, ?, ?)", arguments: [path, reason, now.description])
        return db.changesCount > 0
    }
}
