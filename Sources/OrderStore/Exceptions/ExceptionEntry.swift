import GRDB

/// One row of the exception report, stored with the change that raised it and written by the next export.
///
/// Stored in the same transaction as the change (a refused record, a held order, a file that failed), so the
/// report never names a change that was rolled back, nor misses one that was kept.
public struct ExceptionEntry: Sendable, Hashable {
    /// What happened, as the report's `kind` column says it (`rejected-record`, `duplicate-order`, `order-vetting`, …).
    public var kind: String
    public var orderRef: String?
    public var lineNo: Int?
    public var sku: String?
    /// What the operator reads: what was found and what to fix.
    public var reason: String
    public var sourceFile: String?
    public var sourceLine: Int?

    public init(kind: String, orderRef: String? = nil, lineNo: Int? = nil, sku: String? = nil, reason: String,
                sourceFile: String? = nil, sourceLine: Int? = nil) {
        self.kind = kind; self.orderRef = orderRef; self.lineNo = lineNo; self.sku = sku; self.reason = reason
        self.sourceFile = sourceFile; self.sourceLine = sourceLine
    }

    /// Stores the entry for cycle `cycleID` inside the caller's transaction.
    public func insert(_ tx: StoreTransaction, cycleID: Int64) throws {
        try insert(tx.db, cycleID: cycleID)
    }

    /// As `insert(_:cycleID:)`, for store code (and steps not yet moved to the store) holding the connection.
    package func insert(_ db: Database, cycleID: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO exception (cycle_id, kind, order_ref, line_no, sku, reason, source_file, source_line)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [cycleID, kind, orderRef, lineNo, sku, reason, sourceFile, sourceLine])
    }
}

extension StoreTransaction {
    /// Stores `entry` for the exception report of cycle `cycleID`.
    public func record(_ entry: ExceptionEntry, cycleID: Int64) throws {
        try entry.insert(db, cycleID: cycleID)
    }
}
