import GRDB

/// The record of an orders file imported in several transactions (see `Schema.v14`).
///
/// The import commits every fraction of a second so that it never holds the write lock for long;
/// what it has written so far counts only once `finish` commits. A file that was not finished (the
/// process died, it was stopped, or the file changed under it) is taken back whole by `rollBack`,
/// so an order file is still imported all or nothing.
public enum ImportInProgress {
    /// Marks the file's import as started; exception rows above `exceptionsAfter` with its name are its own.
    public static func begin(_ db: Database, sourceFileID: Int64) throws {
        let last = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM exception") ?? 0
        try db.execute(sql: "INSERT INTO import_in_progress (source_file_id, exceptions_after) VALUES (?, ?)",
                       arguments: [sourceFileID, last])
    }

    /// Makes everything the file wrote count: called in the import's last transaction.
    public static func finish(_ db: Database, sourceFileID: Int64) throws {
        try db.execute(sql: "DELETE FROM import_in_progress WHERE source_file_id = ?", arguments: [sourceFileID])
    }

    /// The source files whose import did not finish.
    public static func unfinished(_ db: Database) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT source_file_id FROM import_in_progress ORDER BY source_file_id")
    }

    /// Takes back everything an unfinished import wrote: its orders with their lines and history (an
    /// operator may have acted on one in the meantime), its exception rows, and the file's own row, so
    /// the file is imported again from the start. Returns the orders removed.
    @discardableResult
    public static func rollBack(_ db: Database, sourceFileID: Int64) throws -> Int {
        guard let after = try Int64.fetchOne(db, sql: "SELECT exceptions_after FROM import_in_progress WHERE source_file_id = ?",
                                             arguments: [sourceFileID]) else { return 0 }
        let name = try String.fetchOne(db, sql: "SELECT name FROM source_file WHERE id = ?", arguments: [sourceFileID])
        let orders = "SELECT id FROM sales_order WHERE source_file_id = ?"
        // No step runs between the import's transactions, so nothing has allocated or exported these orders;
        // an operator's hold, release or override may have been recorded against one.
        for table in ["stage_move", "rule_override", "rule_output", "order_line", "order_charge"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE order_id IN (\(orders))", arguments: [sourceFileID])
        }
        try db.execute(sql: "DELETE FROM sales_order WHERE source_file_id = ?", arguments: [sourceFileID])
        let removed = db.changesCount
        try db.execute(sql: "DELETE FROM exception WHERE id > ? AND source_file IS ?", arguments: [after, name])
        try db.execute(sql: "DELETE FROM import_in_progress WHERE source_file_id = ?", arguments: [sourceFileID])
        try db.execute(sql: "DELETE FROM source_file WHERE id = ?", arguments: [sourceFileID])
        return removed
    }
}
