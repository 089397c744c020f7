import GRDB
import OrderModel

/// One imported receipt as `orderflow receipt REF` shows it: its lines as imported, what of each is still
/// free, and the order lines each one funded. Values as stored (custom fields as their JSON text): the
/// engine decides how they are shown.
public struct ReceiptView: Sendable, Hashable {
    /// An order line a receipt line's stock lot funded, with the quantity it took.
    public struct Funding: Sendable, Hashable {
        public var orderRef: String
        public var lineNo: Int
        public var part: Int
        public var quantity: Quantity
        /// The order line's stage now.
        public var stage: String
    }

    /// One line of the receipt.
    public struct Line: Sendable, Hashable {
        public var sku: String
        public var quantity: Quantity
        public var warehouse: String
        public var receivedAt: String
        public var sourceLine: Int
        /// The stored custom-field object (JSON), if any.
        public var customJSON: String?
        /// The stock lot's remainder; nil for a receipt from before stock lots were kept.
        public var remaining: Quantity?
        /// Oldest in the queue first.
        public var funded: [Funding]
        public var quantityAsWritten: String?
        public var unitAsWritten: String?
    }

    /// The name of the file the receipt came in.
    public var sourceFile: String
    public var lines: [Line]
}

extension OrderDatabase {
    /// The receipt `ref` with its lines and what they funded; nil when no receipt has that reference.
    public func receiptView(_ ref: String) throws -> ReceiptView? {
        try writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT r.*, f.name AS file_name, l.id AS lot_id, l.remaining FROM receipt r
                JOIN source_file f ON f.id = r.source_file_id
                LEFT JOIN stock_lot l ON l.source = 'receipt ' || r.receipt_ref AND l.sku = r.sku AND l.warehouse = r.warehouse
                  AND l.received_at = r.received_at
                WHERE r.receipt_ref = ? ORDER BY r.source_line, r.sku
                """, arguments: [ref])
            guard let first = rows.first else { return nil }
            let funding = try db.makeStatement(sql: """
                SELECT o.order_ref, l.line_no, l.part, a.quantity, l.stage FROM allocation a
                JOIN order_line l ON l.id = a.line_id JOIN sales_order o ON o.id = l.order_id
                WHERE a.lot_id = ? ORDER BY l.queue_key, l.id
                """)
            let lines = try rows.map { row -> ReceiptView.Line in
                let lot: Int64? = row["lot_id"]
                let funded = try lot.map { lot in
                    try Row.fetchAll(funding, arguments: [lot]).map {
                        ReceiptView.Funding(orderRef: $0["order_ref"], lineNo: $0["line_no"], part: $0["part"], quantity: $0["quantity"],
                                            stage: $0["stage"])
                    }
                } ?? []
                return ReceiptView.Line(sku: row["sku"], quantity: row["quantity"], warehouse: row["warehouse"], receivedAt: row["received_at"],
                                        sourceLine: row["source_line"], customJSON: row["custom"], remaining: row["remaining"], funded: funded,
                                        quantityAsWritten: row["quantity_as_written"], unitAsWritten: row["unit_as_written"])
            }
            return ReceiptView(sourceFile: first["file_name"], lines: lines)
        }
    }
}
