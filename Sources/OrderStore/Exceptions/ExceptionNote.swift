import GRDB
import OrderModel

/// One row of the exception report as its raiser states it: stored in the transaction of the change that
/// raised it, and written to the outbox by the next export.
///
/// A plain value, so that engine code raising an exception (an importer's refused record, a file set
/// aside, an outbox conflict) needs no SQL; the insert is a cached statement, as cheap per row as before
/// (an import can refuse many records).
public struct ExceptionNote: Sendable, Hashable {
    public var kind: ExceptionKind
    public var orderRef: String?
    public var lineNo: Int?
    public var sku: String?
    public var reason: String
    public var sourceFile: String?
    public var sourceLine: Int?

    /// A value with these fields.
    public init(kind: ExceptionKind, orderRef: String? = nil, lineNo: Int? = nil, sku: String? = nil, reason: String,
                sourceFile: String? = nil, sourceLine: Int? = nil) {
        self.kind = kind; self.orderRef = orderRef; self.lineNo = lineNo; self.sku = sku; self.reason = reason
        self.sourceFile = sourceFile; self.sourceLine = sourceLine
    }
}

extension StoreTransaction {
    /// Stores an exception raised by cycle `cycleID` (nil: a person's command).
    public func record(_ exception: ExceptionNote, cycleID: Int64?) throws {
        try db.cachedStatement(sql: """
            INSERT INTO exception (cycle_id, kind, order_ref, line_no, sku, reason, source_file, source_line)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [cycleID, exception.kind.description, exception.orderRef, exception.lineNo, exception.sku, exception.reason,
                                     exception.sourceFile, exception.sourceLine])
    }
}
