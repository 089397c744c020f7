import GRDB
import OrderModel

/// The store's side of publishing the outbox: which stored documents wait to be written, and the mark
/// that one was (after which its stored copy is dropped, to keep the database small).
extension OrderDatabase {
    /// The oldest `limit` documents not yet written, oldest first (read in slices, so a large backlog never
    /// sits in memory at once). Walks the `outbox_file_pending` index.
    public func pendingOutboxFiles(limit: Int) throws -> [OutboxFileRecord] {
        try writer.read { db in
            try OutboxFileRecord.filter(OutboxFileRecord.Columns.writtenAt == nil).order(OutboxFileRecord.Columns.id)
                .limit(limit).fetchAll(db)
        }
    }
}

extension StoreTransaction {
    /// Marks a document written at `now` and drops its stored content.
    public func markOutboxFileWritten(_ id: Int64, at now: Timestamp) throws {
        try db.cachedStatement(sql: "UPDATE outbox_file SET written_at = ?, content = X'' WHERE id = ?")
            .execute(arguments: [now.description, id])
    }
}
