import GRDB
import OrderModel

/// A line a cancellation may still cancel: open, or picking but not yet on a pick list, or drop-ship
/// with its purchase order not yet written.
public struct CancellableLine: Sendable, Hashable {
    public var id: Int64
    public var stage: Stage
}

/// A line waiting on a pick list, as a despatch confirmation needs it.
public struct PickedLine: Sendable, Hashable {
    public var id: Int64
    public var orderID: Int64
    public var quantity: Quantity
    public var part: Int
    public var sku: String
    public var warehouse: String
    public var sourceLine: Int
}

/// The reads and writes of cancellations and despatch confirmations, beside the stock ledger's.
extension StoreTransaction {
    /// The lines of an order (or its line `lineNo`, every part) a cancellation may still cancel.
    public func cancellableLines(ofOrder orderID: Int64, lineNo: Int?) throws -> [CancellableLine] {
        var sql = """
            SELECT l.id, l.stage FROM order_line l LEFT JOIN purchase_order po ON po.po_ref = l.po_ref
            WHERE l.order_id = ? AND (l.stage NOT IN (\(Stage.despatched.sql), \(Stage.cancelled.sql), \(Stage.dropShip.sql), \(Stage.picking.sql))
                OR (l.stage = \(Stage.picking.sql) AND l.pick_list_ref IS NULL)
                OR (l.stage = \(Stage.dropShip.sql) AND po.outbox_file_id IS NULL))
            """
        var args: StatementArguments = [orderID]
        if let lineNo { sql += " AND l.line_no = ?"; args += [lineNo] }
        return try Row.fetchAll(db, sql: sql, arguments: args).map { CancellableLine(id: $0[0], stage: Stage(rawValue: $0[1])) }
    }

    /// Deletes an order's unwritten purchase orders that no longer carry a drop-ship line.
    public func dropEmptyPurchaseOrders(ofOrder orderID: Int64) throws {
        try db.execute(sql: """
            DELETE FROM purchase_order WHERE order_id = ? AND outbox_file_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM order_line l INDEXED BY order_line_po WHERE l.po_ref = purchase_order.po_ref AND l.stage = \(Stage.dropShip.sql))
            """, arguments: [orderID])
    }

    /// An order changed by hand or by a file: allocation looks at it again next time.
    public func markOrderChanged(_ orderID: Int64) throws {
        try db.execute(sql: "UPDATE sales_order SET changed = 1 WHERE id = ?", arguments: [orderID])
    }

    /// The customer of an order has a changed position (goods left, an order was cancelled): the credit
    /// check looks at it again.
    public func markCreditChanged(forCustomerOfOrder orderID: Int64) throws {
        try db.execute(sql: "UPDATE customer SET credit_changed = 1 WHERE customer_ref = (SELECT customer_ref FROM sales_order WHERE id = ?)",
                       arguments: [orderID])
    }

    /// Whether a despatch confirmation of this pick list's line was already recorded.
    public func despatchConfirmationRecorded(pickListRef: String, orderRef: String, lineNo: Int) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM despatch WHERE pick_list_ref = ? AND order_ref = ? AND line_no = ?",
                          arguments: [pickListRef, orderRef, lineNo]) == true
    }

    /// The line of an order waiting in Picking on a pick list; nil when there is none.
    public func lineOnPickList(orderRef: String, lineNo: Int, pickListRef: String) throws -> PickedLine? {
        try Row.fetchOne(db, sql: """
            SELECT l.id, l.order_id, l.quantity, l.part, l.sku, l.warehouse, l.source_line FROM order_line l
            JOIN sales_order o ON o.id = l.order_id
            WHERE o.order_ref = ? AND l.line_no = ? AND l.pick_list_ref = ? AND l.stage = \(Stage.picking.sql)
            """, arguments: [orderRef, lineNo, pickListRef]).map { row in
            PickedLine(id: row[0], orderID: row[1], quantity: row[2], part: row[3], sku: row[4], warehouse: row[5], sourceLine: row[6])
        }
    }

    /// A line none of which was despatched leaves its pick list, and its order waits for stock since `at`
    /// unless it already did.
    public func takeOffPickList(_ lineID: Int64, orderID: Int64, waitingSince at: Timestamp) throws {
        try db.execute(sql: "UPDATE order_line SET pick_list_ref = NULL WHERE id = ?", arguments: [lineID])
        try db.execute(sql: "UPDATE sales_order SET back_order_since = COALESCE(back_order_since, ?) WHERE id = ?",
                       arguments: [at.description, orderID])
    }

    /// Records a despatch confirmation, so that a second copy of it is refused.
    public func recordDespatchConfirmation(pickListRef: String, orderRef: String, lineNo: Int, quantity: Quantity,
                                           sourceFileID: Int64, at: Timestamp) throws {
        try db.execute(sql: "INSERT INTO despatch (pick_list_ref, order_ref, line_no, quantity, source_file_id, at) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [pickListRef, orderRef, lineNo, quantity.thousandths, sourceFileID, at.description])
    }
}
