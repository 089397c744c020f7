import GRDB
import OrderModel

/// A new drop-ship line (credit passed), with the supplier that ships it.
public struct DropShipLine: Sendable, Hashable {
    public var lineID: Int64
    public var orderID: Int64
    public var supplierRef: String
}

/// The reads and writes of the drop-ship step: its lines and their purchase orders.
extension StoreTransaction {
    /// The new, credit-passed lines of drop-ship products, by order date, order, supplier, line.
    ///
    /// Read from the stage index through the (small) set of drop-ship products.
    public func newDropShipLines() throws -> [DropShipLine] {
        try Row.fetchAll(db, sql: """
            SELECT l.id, l.order_id, p.supplier_ref
            FROM order_line l INDEXED BY order_line_stage
            CROSS JOIN product p ON p.sku = l.sku
            CROSS JOIN sales_order o ON o.id = l.order_id
            WHERE l.stage = \(Stage.new.sql) AND l.sku IN (SELECT sku FROM product WHERE drop_ship = 1)
              AND p.drop_ship = 1 AND o.credit_state = \(CreditState.passed.sql)
            ORDER BY o.order_date, o.id, p.supplier_ref, l.line_no
            """).map { DropShipLine(lineID: $0[0], orderID: $0[1], supplierRef: $0[2]) }
    }

    /// The purchase order of an order for a supplier not yet written to the outbox, if there is one.
    public func openPurchaseOrder(ofOrder orderID: Int64, supplier supplierRef: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: """
            SELECT po_ref FROM purchase_order WHERE order_id = ? AND supplier_ref = ? AND outbox_file_id IS NULL
            """), arguments: [orderID, supplierRef])
    }

    /// Takes the next number of an outbox folder's sequence for a purchase order; nil if the sequence
    /// cannot be read back after it was taken (a damaged database).
    public func takePurchaseOrderNumber(folder: String) throws -> Int? {
        try db.cachedStatement(sql: """
            INSERT INTO outbox_sequence (folder, last) VALUES (?, 1)
            ON CONFLICT (folder) DO UPDATE SET last = last + 1
            """).execute(arguments: [folder])
        return try Int.fetchOne(db.cachedStatement(sql: "SELECT last FROM outbox_sequence WHERE folder = ?"), arguments: [folder])
    }

    /// Records a new purchase order.
    public func createPurchaseOrder(_ order: PurchaseOrderRecord) throws {
        try order.insert(db)
    }
}
