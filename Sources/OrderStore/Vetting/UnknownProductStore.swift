import GRDB
import OrderModel

/// The reads and writes of the unknown-products step: orders waiting in Order Vetting for a product,
/// lines written before their product was known, and the vetting exceptions it raises.
extension StoreTransaction {
    /// The orders waiting in Order Vetting with `reasonCode` whose every vetted line's sku is now in the
    /// product file.
    ///
    /// Read from the partial index `order_line_unknown_sku`, which SQLite uses only when the code is
    /// written into the statement as text (a bound value would not match the index's WHERE).
    public func ordersNoLongerMissingProducts(reasonCode: String) throws -> [Int64] {
        let code = "'" + reasonCode.replacingOccurrences(of: "'", with: "''") + "'"
        return try Int64.fetchAll(db, sql: """
            SELECT DISTINCT l.order_id FROM order_line l INDEXED BY order_line_unknown_sku
            WHERE l.stage = \(Stage.orderVetting.sql) AND l.reason_code = \(code)
              AND NOT EXISTS (SELECT 1 FROM order_line x WHERE x.order_id = l.order_id AND x.stage = \(Stage.orderVetting.sql)
                                AND NOT EXISTS (SELECT 1 FROM product p WHERE p.sku = x.sku))
            """)
    }

    /// The credit-passed orders with a new line written before its product was known whose product is
    /// known now (their quantities are still in the unit the file wrote).
    public func newOrdersWithUncheckedUnits() throws -> [Int64] {
        try Int64.fetchAll(db, sql: """
            SELECT DISTINCT l.order_id FROM order_line l INDEXED BY order_line_unchecked JOIN sales_order o ON o.id = l.order_id
            WHERE l.unit_checked = 0 AND l.stage = \(Stage.new.sql) AND o.credit_state = \(CreditState.passed.sql)
              AND EXISTS (SELECT 1 FROM product p WHERE p.sku = l.sku)
            """)
    }

    /// The credit-passed orders with a new line whose sku is not in the product file, oldest first, with
    /// those skus.
    public func newOrdersWithUnknownProducts() throws -> [OrderMissingProducts] {
        try Row.fetchAll(db, sql: """
            SELECT l.order_id, o.order_ref, group_concat(DISTINCT l.sku) AS skus FROM order_line l
            JOIN sales_order o ON o.id = l.order_id
            WHERE l.stage = \(Stage.new.sql) AND o.credit_state = \(CreditState.passed.sql) AND NOT EXISTS (SELECT 1 FROM product p WHERE p.sku = l.sku)
            GROUP BY l.order_id ORDER BY o.order_date, o.id
            """).map { row in
            OrderMissingProducts(orderID: row[0], orderRef: row[1], skus: ((row[2] as String?) ?? "").split(separator: ",").map(String.init))
        }
    }

    /// The lines of an order whose quantity is still in the unit the file wrote, in line order.
    public func linesAwaitingUnitCheck(ofOrder orderID: Int64) throws -> [UncheckedQuantityLine] {
        try Row.fetchAll(db, sql: """
            SELECT l.id, l.line_no, l.sku, l.quantity, l.unit_as_written, l.source_line, f.name AS file_name
            FROM order_line l INDEXED BY order_line_unchecked JOIN sales_order o ON o.id = l.order_id JOIN source_file f ON f.id = o.source_file_id
            WHERE l.order_id = ? AND l.unit_checked = 0 ORDER BY l.line_no, l.part
            """, arguments: [orderID]).map { row in
            UncheckedQuantityLine(id: row[0], lineNo: row[1], sku: row[2], quantity: row[3], unitAsWritten: row[4],
                                  sourceLine: row[5], fileName: row[6])
        }
    }

    /// A line's quantity, converted to its product's stock unit: its unit is checked.
    public func setCheckedQuantity(_ quantity: Quantity, ofLine lineID: Int64) throws {
        try db.execute(sql: "UPDATE order_line SET quantity = ?, unit_checked = 1 WHERE id = ?", arguments: [quantity, lineID])
    }

    /// Records an order-vetting exception for an order, named by its reference.
    public func recordOrderVettingException(orderRef: String?, reason: String, cycleID: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO exception (cycle_id, kind, order_ref, reason) VALUES (?, '\(ExceptionKind.orderVetting)', ?, ?)
            """).execute(arguments: [cycleID, orderRef, reason])
    }

    /// Records an order-vetting exception for an order, named by its id.
    public func recordOrderVettingException(orderID: Int64, reason: String, cycleID: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO exception (cycle_id, kind, order_ref, reason) VALUES (?, '\(ExceptionKind.orderVetting)', (SELECT order_ref FROM sales_order WHERE id = ?), ?)
            """).execute(arguments: [cycleID, orderID, reason])
    }
}

/// An order held back for skus not in the product file.
public struct OrderMissingProducts: Sendable, Hashable {
    public var orderID: Int64
    public var orderRef: String
    /// The skus, each once, in no particular order.
    public var skus: [String]
}

/// An order line whose quantity is still in the unit its file wrote (its product was unknown then).
public struct UncheckedQuantityLine: Sendable, Hashable {
    public var id: Int64
    public var lineNo: Int
    public var sku: String
    public var quantity: Quantity
    /// The unit the file wrote; nil for the product's stock unit.
    public var unitAsWritten: String?
    public var sourceLine: Int
    public var fileName: String
}
