import GRDB
import OrderModel

/// What `orderflow mapping test` and `orderflow check` read to try an output mapping on the database's
/// documents: reads only, so a preview or a check changes nothing.
extension StoreTransaction {
    /// The lines of `warehouse` in Picking not yet on a pick list (the next export's pick list of it), by id.
    public func lineIDsToPick(warehouse: String) throws -> [Int64] {
        try Int64.fetchAll(db, sql: """
            SELECT id FROM order_line WHERE stage = \(Stage.picking.sql) AND pick_list_ref IS NULL AND warehouse = ? ORDER BY id
            """, arguments: [warehouse])
    }

    /// The lines on the pick list `ref` (despatched or still waiting for their confirmation), by id, each with
    /// its warehouse; empty when no line is on it.
    public func lines(onPickList ref: String) throws -> [(lineID: Int64, warehouse: String)] {
        try Row.fetchAll(db, sql: """
            SELECT id, COALESCE(warehouse, '') AS warehouse FROM order_line WHERE pick_list_ref = ? ORDER BY id
            """, arguments: [ref]).map { (lineID: $0["id"], warehouse: $0["warehouse"]) }
    }

    /// The last exception report written: its outbox file's name and number (nil for a file written before
    /// numbers were stored) and the exceptions it covers, in order; nil when no report was written.
    public func lastExceptionReport() throws -> (fileName: String, number: Int?, exceptions: [ExceptionToReport])? {
        let reports = try Row.fetchAll(db, sql: """
            SELECT r.last_exception_id, f.name, f.number FROM exception_report r JOIN outbox_file f ON f.id = r.outbox_file_id
            ORDER BY r.outbox_file_id DESC LIMIT 2
            """)
        guard let last = reports.first else { return nil }
        var exceptions: [ExceptionToReport] = []
        let previous: Int64 = reports.count > 1 ? reports[1]["last_exception_id"] : 0
        try forEachException(after: previous, through: last["last_exception_id"]) { exceptions.append($0) }
        return (last["name"], last["number"], exceptions)
    }
}

extension OrderDatabase {
    /// Every supplier's `po_format` (`csv`, `xml` or an output mapping's name) with the suppliers naming it,
    /// sorted: what `orderflow check` holds against the home's output mappings.
    public func supplierPOFormats() throws -> [String: [String]] {
        try read { tx in
            try Row.fetchAll(tx.db, sql: "SELECT po_format, supplier_ref FROM supplier ORDER BY po_format, supplier_ref")
                .reduce(into: [String: [String]]()) { formats, row in formats[row["po_format"], default: []].append(row["supplier_ref"]) }
        }
    }
}
