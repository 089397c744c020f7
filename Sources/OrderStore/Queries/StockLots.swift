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
            let pattern = sku.map { "%" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%" }
            let arguments: [any DatabaseValueConvertible] = pattern.map { [$0] } ?? []
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (\(StatusView.stockSQL))\(filter)",
                                         arguments: StatementArguments(arguments)) ?? 0
            let positions = try Row.fetchAll(db, sql: """
                SELECT * FROM (\(StatusView.stockSQL))\(filter) ORDER BY back_ordered DESC, sku, warehouse LIMIT ? OFFSET ?
                """, arguments: StatementArguments(arguments + [max(1, limit), max(0, offset)])).map { row in
                StatusView.StockPosition(sku: row["sku"], warehouse: row["warehouse"], onHand: row["on_hand"], allocated: row["allocated"],
                                         backOrdered: row["back_ordered"])
            }
            return (total, positions)
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
