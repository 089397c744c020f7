import GRDB
import OrderModel

/// One imported receipt for the command line (`orderflow receipt REF`): its lines as imported, their
/// custom fields, and the order lines each one funded, oldest first.
public struct ReceiptQueries: Sendable {
    let engine: Engine
    public init(engine: Engine) { self.engine = engine }

    public struct Funded: Codable, Sendable, Hashable {
        public var orderRef: String
        public var lineNo: Int
        public var part: Int
        public var quantity: Quantity
        /// The order line's stage now (picking, despatched, …).
        public var stage: String
        enum CodingKeys: String, CodingKey { case orderRef = "order_ref", lineNo = "line_no", part, quantity, stage }
    }

    public struct Line: Codable, Sendable, Hashable {
        public var sku: String
        /// In the product's stock unit.
        public var quantity: Quantity
        public var warehouse: String
        public var receivedAt: String
        public var sourceLine: Int
        public var custom: [String: String]
        /// What of the receipt is still free to allocate (its stock lot's remainder); nil for a receipt
        /// from before stock lots were kept.
        public var remaining: Quantity?
        public var funded: [Funded]
        /// The quantity and unit as the file wrote them, when either differs from the stored quantity.
        public var quantityAsWritten: String? = nil
        public var unitAsWritten: String? = nil
        enum CodingKeys: String, CodingKey {
            case sku, quantity, warehouse, receivedAt = "received_at", sourceLine = "source_line", custom, remaining, funded,
                 quantityAsWritten = "quantity_as_written", unitAsWritten = "unit_as_written"
        }
    }

    public struct ReceiptDetail: Codable, Sendable {
        public var receiptRef: String
        public var sourceFile: String
        public var lines: [Line]
        enum CodingKeys: String, CodingKey { case receiptRef = "receipt_ref", sourceFile = "source_file", lines }
    }

    public func receipt(_ ref: String) throws -> ReceiptDetail {
        try engine.database.writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT r.*, f.name AS file_name, l.id AS lot_id, l.remaining FROM receipt r
                JOIN source_file f ON f.id = r.source_file_id
                LEFT JOIN stock_lot l ON l.source = 'receipt ' || r.receipt_ref AND l.sku = r.sku AND l.warehouse = r.warehouse
                  AND l.received_at = r.received_at
                WHERE r.receipt_ref = ? ORDER BY r.source_line, r.sku
                """, arguments: [ref])
            guard let first = rows.first else { throw EngineError.unknownReceipt(ref) }
            let lines = try rows.map { row -> Line in
                let lot: Int64? = row["lot_id"]
                let funded = try lot.map { lot in
                    try Row.fetchAll(db, sql: """
                        SELECT o.order_ref, l.line_no, l.part, a.quantity, l.stage FROM allocation a
                        JOIN order_line l ON l.id = a.line_id JOIN sales_order o ON o.id = l.order_id
                        WHERE a.lot_id = ? ORDER BY l.queue_key, l.id
                        """, arguments: [lot]).map {
                        Funded(orderRef: $0["order_ref"], lineNo: $0["line_no"], part: $0["part"], quantity: $0["quantity"], stage: $0["stage"])
                    }
                } ?? []
                return Line(sku: row["sku"], quantity: row["quantity"], warehouse: row["warehouse"], receivedAt: row["received_at"],
                            sourceLine: row["source_line"], custom: OrderQueries.custom(row["custom"], prefix: "receipt."),
                            remaining: row["remaining"], funded: funded,
                            quantityAsWritten: row["quantity_as_written"], unitAsWritten: row["unit_as_written"])
            }
            return ReceiptDetail(receiptRef: ref, sourceFile: first["file_name"], lines: lines)
        }
    }
}
