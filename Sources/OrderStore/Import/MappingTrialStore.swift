import GRDB
import OrderModel

/// The store's side of `orderflow mapping test`: a file imported through the cycle's own importer inside a
/// rehearsal (`OrderDatabase.rehearse`), so what it shows is exactly what a cycle would import, and nothing stays.
extension StoreTransaction {
    /// The cycle and source file a trial import hangs from, created (and rolled back with the rehearsal) as a real
    /// import's would be.
    public struct MappingTrial: Sendable, Hashable {
        public var cycleID: Int64
        public var sourceFileID: Int64
    }

    /// Opens a trial import of a file `size` bytes long through mapping `mapping` of `feed`: a cycle started `at`,
    /// and the file recorded as imported in it under `name` and a claim name of its own.
    public func openMappingTrial(feed: String, mapping: String, name: String, claimName: String, size: Int, at: Timestamp) throws -> MappingTrial {
        try db.execute(sql: "INSERT INTO cycle (started_at) VALUES (?)", arguments: [at.description])
        let cycleID = db.lastInsertedRowID
        try db.execute(sql: """
            INSERT INTO source_file (feed, mapping, name, claim_name, content_hash, size, outcome, processed_at, cycle_id)
            VALUES (?, ?, ?, ?, '', ?, \(SourceFileOutcome.imported.sql), ?, ?)
            """, arguments: [feed, mapping, name, claimName, size, at.description, cycleID])
        return MappingTrial(cycleID: cycleID, sourceFileID: db.lastInsertedRowID)
    }

    /// The references of the orders imported from source file `sourceFileID`.
    public func orderRefs(importedFrom sourceFileID: Int64) throws -> Set<String> {
        try Set(String.fetchCursor(db, sql: "SELECT order_ref FROM sales_order WHERE source_file_id = ?", arguments: [sourceFileID]))
    }
}
