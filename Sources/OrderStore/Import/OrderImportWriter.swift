import GRDB
import OrderModel

/// An order as the import writes it: the order's own fields, each already in its stored form (the
/// engine decodes the file and decides what is written; the writer only stores it).
public struct ImportedOrder: Sendable, Hashable {
    public var orderRef: String
    /// ISO 8601.
    public var orderDate: String
    public var customerRef: String
    public var paymentMethod: String?
    public var cardStatus: String
    public var cardLastFour: String?
    public var cardExpiry: String?
    public var shipName, shipAddress1, shipAddress2, shipCity, shipPostcode, shipCountry: String
    public var sourceLine: Int
    /// Custom fields as a JSON object, or nil when there are none.
    public var custom: String?
    public var priority: Int
    public var shipPolicy: String?
    public var currency: String?

    /// A value with these fields.
    public init(orderRef: String, orderDate: String, customerRef: String, paymentMethod: String?, cardStatus: String,
                cardLastFour: String?, cardExpiry: String?, shipName: String, shipAddress1: String, shipAddress2: String,
                shipCity: String, shipPostcode: String, shipCountry: String, sourceLine: Int, custom: String?, priority: Int,
                shipPolicy: String?, currency: String?) {
        self.orderRef = orderRef; self.orderDate = orderDate; self.customerRef = customerRef; self.paymentMethod = paymentMethod
        self.cardStatus = cardStatus; self.cardLastFour = cardLastFour; self.cardExpiry = cardExpiry; self.shipName = shipName
        self.shipAddress1 = shipAddress1; self.shipAddress2 = shipAddress2; self.shipCity = shipCity; self.shipPostcode = shipPostcode
        self.shipCountry = shipCountry; self.sourceLine = sourceLine; self.custom = custom; self.priority = priority
        self.shipPolicy = shipPolicy; self.currency = currency
    }
}

/// An order already imported under a ref that is being imported again.
public struct ImportedOrderMatch: Sendable, Hashable {
    public var orderID: Int64
    /// The line of its file where it started.
    public var sourceLine: Int
    public var sourceFileID: Int64
    /// The name of the file it came from (`inbox-folder/name`).
    public var fileName: String
}

/// Writes an orders file's orders, lines and charges inside the import's transactions.
///
/// The three inserts run once per order, line and charge, hundreds of thousands of times in an import:
/// they are prepared once here and bound through SQLite's C API (`BulkStatement`). Make one writer per
/// file, in the import's session; it stays valid across the session's hand-overs (a prepared statement
/// outlives a COMMIT).
public struct OrderImportWriter {
    /// The transaction the writer writes in.
    public let transaction: StoreTransaction
    private let sourceFileID: Int64
    /// The import's time, stamped on every order and line (ISO 8601).
    private let importedAt: String
    private let insertOrder: BulkStatement
    private let insertLine: BulkStatement
    private let insertCharge: BulkStatement
    private var db: Database { transaction.db }

    /// Prepares the writer of the orders of source file `sourceFileID`, imported at `now`.
    public init(_ transaction: StoreTransaction, sourceFileID: Int64, now: Timestamp) throws {
        self.transaction = transaction
        self.sourceFileID = sourceFileID
        importedAt = now.description
        let db = transaction.db
        insertOrder = try BulkStatement(db, sql: """
            INSERT INTO sales_order (order_ref, order_date, customer_ref, payment_method, card_status, card_last4,
                card_expiry, ship_name, ship_address1, ship_address2, ship_city, ship_postcode, ship_country,
                source_file_id, source_line, imported_at, custom, priority, ship_policy, currency)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (order_ref) DO NOTHING
            """)
        insertLine = try BulkStatement(db, sql: """
            INSERT INTO order_line (order_id, line_no, sku, quantity, unit_price, stage, stage_since, source_line, custom, queue_key,
                                    quantity_as_written, unit_as_written, unit_checked)
            VALUES (?, ?, ?, ?, ?, \(Stage.new.sql), ?, ?, ?, ?, ?, ?, ?)
            """)
        insertCharge = try BulkStatement(db, sql: """
            INSERT INTO order_charge (order_id, kind, line_no, sku, quantity, unit_price, value, source_line, custom)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// Inserts an order; returns its id, or nil when its `order_ref` is taken (the unique ref says whether
    /// the order is new, so only a repeat pays for a lookup: `match(_:)`).
    public func insert(_ order: ImportedOrder) throws -> Int64? {
        insertOrder.bind(order.orderRef, at: 1); insertOrder.bind(order.orderDate, at: 2)
        insertOrder.bind(order.customerRef, at: 3); insertOrder.bind(order.paymentMethod, at: 4)
        insertOrder.bind(order.cardStatus, at: 5); insertOrder.bind(order.cardLastFour, at: 6)
        insertOrder.bind(order.cardExpiry, at: 7); insertOrder.bind(order.shipName, at: 8)
        insertOrder.bind(order.shipAddress1, at: 9); insertOrder.bind(order.shipAddress2, at: 10)
        insertOrder.bind(order.shipCity, at: 11); insertOrder.bind(order.shipPostcode, at: 12)
        insertOrder.bind(order.shipCountry, at: 13); insertOrder.bind(sourceFileID, at: 14)
        insertOrder.bind(order.sourceLine, at: 15); insertOrder.bind(importedAt, at: 16)
        insertOrder.bind(order.custom, at: 17); insertOrder.bind(order.priority, at: 18)
        insertOrder.bind(order.shipPolicy, at: 19); insertOrder.bind(order.currency, at: 20)
        try insertOrder.execute()
        return db.changesCount == 0 ? nil : db.lastInsertedRowID
    }

    /// Inserts a stock line of order `orderID`, in stage New.
    /// - Parameters:
    ///   - quantity: in the product's stock unit (as written when the product is not known yet).
    ///   - quantityAsWritten, unitAsWritten: as the file wrote them, for the record (nil when plain).
    ///   - unitChecked: whether the quantity was converted to (or is valid in) the stock unit.
    public func insertLine(orderID: Int64, lineNo: Int, sku: String, quantity: Quantity, unitPrice: UnitPrice?, sourceLine: Int,
                           custom: String?, queueKey: String, quantityAsWritten: String?, unitAsWritten: String?, unitChecked: Bool) throws {
        insertLine.bind(orderID, at: 1); insertLine.bind(lineNo, at: 2); insertLine.bind(sku, at: 3)
        insertLine.bind(quantity.thousandths, at: 4); insertLine.bind(unitPrice?.tenThousandths, at: 5)
        insertLine.bind(importedAt, at: 6); insertLine.bind(sourceLine, at: 7)
        insertLine.bind(custom, at: 8)
        insertLine.bind(queueKey, at: 9)
        insertLine.bind(quantityAsWritten, at: 10); insertLine.bind(unitAsWritten, at: 11)
        insertLine.bind(unitChecked, at: 12)
        try insertLine.execute()
    }

    /// Inserts a non-stock amount of order `orderID` (shipping, a discount, a non-stock line) with its value.
    public func insertCharge(orderID: Int64, kind: String, lineNo: Int?, sku: String?, quantity: Quantity, unitPrice: UnitPrice,
                             value: Money, sourceLine: Int, custom: String?) throws {
        insertCharge.bind(orderID, at: 1); insertCharge.bind(kind, at: 2); insertCharge.bind(lineNo, at: 3)
        insertCharge.bind(sku, at: 4); insertCharge.bind(quantity.thousandths, at: 5); insertCharge.bind(unitPrice.tenThousandths, at: 6)
        insertCharge.bind(value.minorUnits, at: 7); insertCharge.bind(sourceLine, at: 8)
        insertCharge.bind(custom, at: 9)
        try insertCharge.execute()
    }

    /// The order already imported under `orderRef`, if any.
    public func match(_ orderRef: String) throws -> ImportedOrderMatch? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT o.id, o.source_line, o.source_file_id, f.name FROM sales_order o JOIN source_file f ON f.id = o.source_file_id
            WHERE o.order_ref = ?
            """), arguments: [orderRef]) else { return nil }
        return ImportedOrderMatch(orderID: row[0], sourceLine: row[1], sourceFileID: row[2], fileName: row[3])
    }

    /// How many lines (stock lines and non-stock lines) order `orderID` has.
    public func lineCount(ofOrder orderID: Int64) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT (SELECT COUNT(*) FROM order_line WHERE order_id = ?1) + (SELECT COUNT(*) FROM order_charge WHERE order_id = ?1 AND kind = 'line')
            """, arguments: [orderID]) ?? 0
    }

    /// Takes back an order this import wrote (its rows turned out to be split): lines, charges and order.
    public func remove(order orderID: Int64) throws {
        try db.execute(sql: "DELETE FROM order_line WHERE order_id = ?", arguments: [orderID])
        try db.execute(sql: "DELETE FROM order_charge WHERE order_id = ?", arguments: [orderID])
        try db.execute(sql: "DELETE FROM sales_order WHERE id = ?", arguments: [orderID])
    }
}
