import GRDB

/// A document the engine wrote that names an order: a pick list, a purchase order, an exception report.
public struct OrderDocument: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case pickList = "pick list"
        case purchaseOrder = "purchase order"
        case exceptionReport = "exception report"
    }
    /// The outbox file's id (`outbox_file`), the console's handle for the file.
    public var id: Int64
    public var kind: Kind
    public var folder: String
    public var name: String
    /// Nil while the file waits to be written.
    public var writtenAt: String?
}

extension OrderDatabase {
    /// The documents an order appears in, oldest first.
    public func documents(ofOrder ref: String) throws -> [OrderDocument] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT DISTINCT f.id, 'pick list' AS kind, f.folder, f.name, f.written_at FROM sales_order o
                  JOIN order_line l ON l.order_id = o.id AND l.pick_list_ref IS NOT NULL
                  JOIN outbox_file f ON f.name LIKE l.pick_list_ref || '-%' OR f.name LIKE l.pick_list_ref || '.%'
                  WHERE o.order_ref = ?
                UNION
                SELECT f.id, 'purchase order', f.folder, f.name, f.written_at FROM sales_order o
                  JOIN purchase_order po ON po.order_id = o.id JOIN outbox_file f ON f.id = po.outbox_file_id
                  WHERE o.order_ref = ?
                UNION
                SELECT f.id, 'exception report', f.folder, f.name, f.written_at FROM exception e
                  JOIN outbox_file f ON f.id = e.outbox_file_id WHERE e.order_ref = ?
                ORDER BY 1
                """, arguments: [ref, ref, ref]).compactMap { row in
                guard let kind = OrderDocument.Kind(rawValue: row[1]) else { return nil }
                return OrderDocument(id: row[0], kind: kind, folder: row[2], name: row[3], writtenAt: row[4])
            }
        }
    }

    /// Where an outbox file was written (folder and name under `outbox/`), or nil for no such file.
    public func outboxFile(id: Int64) throws -> (folder: String, name: String)? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT folder, name FROM outbox_file WHERE id = ? AND written_at IS NOT NULL", arguments: [id])
                .map { ($0["folder"], $0["name"]) }
        }
    }
}
