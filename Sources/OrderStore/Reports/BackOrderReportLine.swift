import GRDB
import OrderModel

/// One line waiting in Back Order, with what the back-order report needs beside it: its order, how long it
/// has waited, and the stock free now in its warehouse.
public struct BackOrderReportLine: Sendable, Hashable {
    public var orderRef: String
    public var lineNo: Int
    public var sku: String
    public var warehouse: String?
    public var quantity: Quantity
    /// When the line entered its stage, as stored (nil or unreadable: the engine counts it as today).
    public var stageSince: String?
    public var customerRef: String
    public var orderDate: String
    /// On hand less allocated in the line's warehouse (0 where the sku has no stock row).
    public var available: Quantity
}

extension StoreTransaction {
    /// The back-order report's rows: every line in Back Order with its order and the stock of its place, in
    /// the queue's order (priority, order date, order, line, part). Both the built-in report and an output
    /// mapping's read them (`backOrderFactRows`).
    static let backOrderReportRows = """
        FROM order_line l JOIN sales_order o ON o.id = l.order_id
        LEFT JOIN stock s ON s.sku = l.sku AND s.warehouse = l.warehouse
        WHERE l.stage = \(Stage.backOrder.sql)
        ORDER BY o.priority DESC, o.order_date, o.id, l.line_no, l.part
        """

    /// Every line in Back Order, in the queue's order (priority, order date, order, line, part).
    public func backOrderReportLines() throws -> [BackOrderReportLine] {
        let statement = try db.makeStatement(sql: """
            SELECT o.order_ref, l.line_no, l.sku, l.warehouse, l.quantity, l.stage_since, o.customer_ref, o.order_date,
                   COALESCE(s.on_hand - s.allocated, 0) AS available
            \(Self.backOrderReportRows)
            """)
        let c = ColumnIndex(statement)
        var lines: [BackOrderReportLine] = []
        let rows = try Row.fetchCursor(statement)
        while let row = try rows.next() {
            lines.append(BackOrderReportLine(orderRef: row[c.order_ref], lineNo: row[c.line_no], sku: row[c.sku], warehouse: row[c.warehouse],
                                             quantity: row[c.quantity], stageSince: row[c.stage_since], customerRef: row[c.customer_ref],
                                             orderDate: row[c.order_date], available: row[c.available]))
        }
        return lines
    }
}
