import GRDB

/// One row of the exception report, stored with the change that raised it and written by the next export.
struct ExceptionEntry {
    var kind: String
    var orderRef: String? = nil
    var lineNo: Int? = nil
    var sku: String? = nil
    var reason: String
    var sourceFile: String? = nil
    var sourceLine: Int? = nil

    func insert(_ db: Database, cycleID: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO exception (cycle_id, kind, order_ref, line_no, sku, reason, source_file, source_line)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [cycleID, kind, orderRef, lineNo, sku, reason, sourceFile, sourceLine])
    }
}
