import GRDB
import OrderModel

/// A lot of stock (a receipt line, a count's difference, opening stock) and the order lines it funded.
public struct StockLotView: Sendable, Hashable {
    /// An order line the lot gave stock to.
    public struct Funded: Sendable, Hashable {
        public var orderRef: String
        public var lineNo: Int
        public var quantity: Quantity
        /// The line's stage now.
        public var stage: String
    }
    public var id: Int64
    public var warehouse: String
    public var source: String
    public var receivedAt: String
    public var quantity: Quantity
    public var remaining: Quantity
    public var funded: [Funded]
}

extension OrderDatabase {
    /// One page of the stock positions (most back-ordered first), of skus containing `sku` when given.
    public func stockPositions(skuContaining sku: String?, offset: Int, limit: Int) throws -> (total: Int, positions: [StatusView.StockPosition]) {
        try writer.read { db in
            let filter = sku == nil ? "" : " WHERE sku LIKE ? ESCAPE '\\'"
            let pattern = sku.map(containsPattern)
            let arguments: [any DatabaseValueConvertible] = pattern.map { [$0] } ?? []
            // One pass: the total comes with each row of the page (a window over the whole result).
            let rows = try Row.fetchAll(db, sql: """
                SELECT *, COUNT(*) OVER () AS total FROM (\(StatusView.stockSQL))\(filter)
                ORDER BY back_ordered DESC, sku, warehouse LIMIT ? OFFSET ?
                """, arguments: StatementArguments(arguments + [max(1, limit), max(0, offset)]))
            var total = rows.first?["total"] as Int? ?? 0
            if rows.isEmpty && offset > 0 {
                total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (\(StatusView.stockSQL))\(filter)", arguments: StatementArguments(arguments)) ?? 0
            }
            return (total, rows.map(Self.stockPosition))
        }
    }

    static func stockPosition(_ row: Row) -> StatusView.StockPosition {
        StatusView.StockPosition(sku: row["sku"], warehouse: row["warehouse"], onHand: row["on_hand"], allocated: row["allocated"],
                                 backOrdered: row["back_ordered"])
    }

    /// One sku's stock in each warehouse that has it or back orders for it, read by the sku's indexes.
    public func stockPositions(ofSKU sku: String) throws -> [StatusView.StockPosition] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT k.sku, k.warehouse, COALESCE(s.on_hand, 0) AS on_hand, COALESCE(s.allocated, 0) AS allocated,
                       (SELECT COALESCE(SUM(quantity), 0) FROM order_line INDEXED BY order_line_queue
                        WHERE stage = \(Stage.backOrder.sql) AND sku = k.sku AND warehouse = k.warehouse) AS back_ordered
                FROM (SELECT sku, warehouse FROM stock WHERE sku = ?
                      UNION SELECT sku, warehouse FROM order_line INDEXED BY order_line_queue WHERE stage = \(Stage.backOrder.sql) AND sku = ?) k
                LEFT JOIN stock s ON s.sku = k.sku AND s.warehouse = k.warehouse
                ORDER BY k.warehouse
                """, arguments: [sku, sku]).map(Self.stockPosition)
        }
    }

    /// A sku's lots, newest first (at most `limit`), each with the order lines it funded.
    public func lots(ofSKU sku: String, limit: Int = 200) throws -> [StockLotView] {
        try writer.read { db in
            let lots = try Row.fetchAll(db, sql: """
                SELECT id, warehouse, source, received_at, quantity, remaining FROM stock_lot WHERE sku = ?
                ORDER BY received_at DESC, id DESC LIMIT ?
                """, arguments: [sku, limit])
            guard !lots.isEmpty else { return [] }
            let ids: [Int64] = lots.map { $0["id"] }
            var funded: [Int64: [StockLotView.Funded]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT a.lot_id, o.order_ref, l.line_no, a.quantity, l.stage FROM allocation a INDEXED BY allocation_lot
                JOIN order_line l ON l.id = a.line_id JOIN sales_order o ON o.id = l.order_id
                WHERE a.lot_id IN (\(ids.map { _ in "?" }.joined(separator: ","))) ORDER BY o.order_date, o.id, l.line_no
                """, arguments: StatementArguments(ids)) {
                funded[row["lot_id"], default: []].append(.init(orderRef: row["order_ref"], lineNo: row["line_no"], quantity: row["quantity"],
                                                                stage: row["stage"]))
            }
            return lots.map { row in
                StockLotView(id: row["id"], warehouse: row["warehouse"], source: row["source"], receivedAt: row["received_at"],
                             quantity: row["quantity"], remaining: row["remaining"], funded: funded[row["id"]] ?? [])
            }
        }
    }
}
