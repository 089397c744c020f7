import GRDB
import OrderModel

/// A customer as the import upserts it, each field in its stored form.
public struct ImportedCustomer: Sendable, Hashable {
    public var customerRef, name: String
    /// The payment terms' name.
    public var terms: String
    public var creditLimit, balance: Money
    public var onStop: Bool
    public var email, address1, address2, city, postcode, country: String
    /// Custom fields as a JSON object, or nil when the file gives none (the stored ones are kept).
    public var custom: String?
    public var shipPolicy: String?
    /// Nil keeps the currency already stored.
    public var currency: String?

    /// A value with these fields.
    public init(customerRef: String, name: String, terms: String, creditLimit: Money, balance: Money, onStop: Bool, email: String,
                address1: String, address2: String, city: String, postcode: String, country: String, custom: String?,
                shipPolicy: String?, currency: String?) {
        self.customerRef = customerRef; self.name = name; self.terms = terms; self.creditLimit = creditLimit; self.balance = balance
        self.onStop = onStop; self.email = email; self.address1 = address1; self.address2 = address2; self.city = city
        self.postcode = postcode; self.country = country; self.custom = custom; self.shipPolicy = shipPolicy; self.currency = currency
    }
}

/// A product as the import upserts it, each field in its stored form.
public struct ImportedProduct: Sendable, Hashable {
    public var sku, description, category: String
    public var unitPrice: UnitPrice
    public var dropShip: Bool
    public var supplierRef: String?
    public var supplierCost: UnitPrice?
    public var warehouse: String
    public var binLocation: String
    public var custom: String?
    public var stockUnit: String
    public var quantityDecimals: Int
    /// The product's unit conversions (`BOX=12;PACK=6`), or nil when it has none.
    public var units: String?

    /// A value with these fields.
    public init(sku: String, description: String, category: String, unitPrice: UnitPrice, dropShip: Bool, supplierRef: String?,
                supplierCost: UnitPrice?, warehouse: String, binLocation: String, custom: String?, stockUnit: String,
                quantityDecimals: Int, units: String?) {
        self.sku = sku; self.description = description; self.category = category; self.unitPrice = unitPrice; self.dropShip = dropShip
        self.supplierRef = supplierRef; self.supplierCost = supplierCost; self.warehouse = warehouse; self.binLocation = binLocation
        self.custom = custom; self.stockUnit = stockUnit; self.quantityDecimals = quantityDecimals; self.units = units
    }
}

/// Writes the records of a master-data, receipts, stock, despatch or cancellation file inside the
/// import's transaction, and answers the lookups their import needs.
///
/// A file can hold a whole catalogue: each per-record statement is prepared on first use and bound
/// through SQLite's C API (`BulkStatement`). An upsert keeps the custom fields the file does not mention
/// and overwrites the ones it does. Make one writer per file.
public final class MasterDataImportWriter {
    /// The transaction the writer writes in.
    public let transaction: StoreTransaction
    private let sourceFileID: Int64
    /// The import's time (ISO 8601).
    private let importedAt: String
    private var db: Database { transaction.db }
    // The per-record statements, prepared on first use.
    private var customerUpsert: BulkStatement?
    private var customerOrdersChanged: BulkStatement?
    private var productUpsert: BulkStatement?
    private var receiptInsert: BulkStatement?

    /// A writer for the records of source file `sourceFileID`, imported at `now`; statements are prepared on first use.
    public init(_ transaction: StoreTransaction, sourceFileID: Int64, now: Timestamp) {
        self.transaction = transaction
        self.sourceFileID = sourceFileID
        importedAt = now.description
    }

    private func prepared(_ made: inout BulkStatement?, _ sql: String) throws -> BulkStatement {
        if let made { return made }
        let new = try BulkStatement(db, sql: sql)
        made = new
        return new
    }

    /// An upsert's custom fields: the stored ones merged with the file's.
    static func mergeCustom(_ table: String) -> String {
        "custom = CASE WHEN excluded.custom IS NULL THEN \(table).custom ELSE json_patch(COALESCE(\(table).custom, '{}'), excluded.custom) END"
    }

    static let customerUpsert = """
        INSERT INTO customer (customer_ref, name, terms, credit_limit, balance, on_stop, email, address1,
            address2, city, postcode, country, updated_at, custom, ship_policy, currency)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (customer_ref) DO UPDATE SET name = excluded.name, terms = excluded.terms,
            credit_limit = excluded.credit_limit, balance = excluded.balance, on_stop = excluded.on_stop,
            email = excluded.email, address1 = excluded.address1, address2 = excluded.address2,
            city = excluded.city, postcode = excluded.postcode, country = excluded.country,
            updated_at = excluded.updated_at, ship_policy = excluded.ship_policy, credit_changed = 1,
            currency = COALESCE(excluded.currency, customer.currency),
            \(mergeCustom("customer"))
        """

    static let customerOrdersChanged = """
        UPDATE sales_order SET changed = 1 WHERE customer_ref = ? AND changed = 0
          AND EXISTS (SELECT 1 FROM order_line l WHERE l.order_id = sales_order.id AND l.stage = \(Stage.backOrder.sql))
        """

    static let productUpsert = """
        INSERT INTO product (sku, description, category, unit_price, drop_ship, supplier_ref, supplier_cost,
            warehouse, bin_location, updated_at, custom, stock_unit, quantity_decimals, units)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (sku) DO UPDATE SET description = excluded.description, category = excluded.category,
            stock_unit = excluded.stock_unit, quantity_decimals = excluded.quantity_decimals, units = excluded.units,
            unit_price = excluded.unit_price, drop_ship = excluded.drop_ship,
            supplier_ref = excluded.supplier_ref, supplier_cost = excluded.supplier_cost,
            warehouse = excluded.warehouse, bin_location = excluded.bin_location,
            updated_at = excluded.updated_at, \(mergeCustom("product"))
        """

    static let receiptInsert = """
        INSERT INTO receipt (receipt_ref, sku, quantity, warehouse, received_at, source_file_id, source_line, custom,
            quantity_as_written, unit_as_written)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (receipt_ref, sku) DO NOTHING
        """

    /// Inserts or updates a customer, marks its credit position changed, and marks its orders waiting in
    /// Back Order changed (a changed policy may let them ship).
    public func upsert(_ c: ImportedCustomer) throws {
        let upsert = try prepared(&customerUpsert, Self.customerUpsert)
        upsert.bind(c.customerRef, at: 1); upsert.bind(c.name, at: 2); upsert.bind(c.terms, at: 3)
        upsert.bind(c.creditLimit.minorUnits, at: 4); upsert.bind(c.balance.minorUnits, at: 5); upsert.bind(c.onStop, at: 6)
        upsert.bind(c.email, at: 7); upsert.bind(c.address1, at: 8); upsert.bind(c.address2, at: 9); upsert.bind(c.city, at: 10)
        upsert.bind(c.postcode, at: 11); upsert.bind(c.country, at: 12); upsert.bind(importedAt, at: 13)
        upsert.bind(c.custom, at: 14); upsert.bind(c.shipPolicy, at: 15)
        upsert.bind(c.currency, at: 16)
        try upsert.execute()
        let look = try prepared(&customerOrdersChanged, Self.customerOrdersChanged)
        look.bind(c.customerRef, at: 1)
        try look.execute()
    }

    /// Inserts or updates a product.
    public func upsert(_ p: ImportedProduct) throws {
        let upsert = try prepared(&productUpsert, Self.productUpsert)
        upsert.bind(p.sku, at: 1); upsert.bind(p.description, at: 2); upsert.bind(p.category, at: 3)
        upsert.bind(p.unitPrice.tenThousandths, at: 4); upsert.bind(p.dropShip, at: 5); upsert.bind(p.supplierRef, at: 6)
        upsert.bind(p.supplierCost?.tenThousandths, at: 7); upsert.bind(p.warehouse, at: 8)
        upsert.bind(p.binLocation, at: 9); upsert.bind(importedAt, at: 10); upsert.bind(p.custom, at: 11)
        upsert.bind(p.stockUnit, at: 12); upsert.bind(p.quantityDecimals, at: 13)
        upsert.bind(p.units, at: 14)
        try upsert.execute()
    }

    /// Inserts or updates a supplier.
    public func upsertSupplier(ref: String, name: String, email: String, poFormat: String, custom: String?) throws {
        try db.cachedStatement(sql: """
            INSERT INTO supplier (supplier_ref, name, email, po_format, updated_at, custom) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (supplier_ref) DO UPDATE SET name = excluded.name, email = excluded.email,
                po_format = excluded.po_format, updated_at = excluded.updated_at, \(Self.mergeCustom("supplier"))
            """).execute(arguments: [ref, name, email, poFormat, importedAt, custom])
    }

    /// Inserts a receipt of this file; false when the key (receipt_ref, sku) was imported before (only a
    /// repeat pays for more).
    public func insertReceipt(ref: String, sku: String, quantity: Quantity, warehouse: String, receivedAt: Timestamp, sourceLine: Int,
                              custom: String?, quantityAsWritten: String?, unitAsWritten: String?) throws -> Bool {
        let insert = try prepared(&receiptInsert, Self.receiptInsert)
        insert.bind(ref, at: 1); insert.bind(sku, at: 2); insert.bind(quantity.thousandths, at: 3)
        insert.bind(quantityAsWritten, at: 9); insert.bind(unitAsWritten, at: 10)
        insert.bind(warehouse, at: 4); insert.bind(receivedAt.description, at: 5)
        insert.bind(sourceFileID, at: 6); insert.bind(sourceLine, at: 7); insert.bind(custom, at: 8)
        try insert.execute()
        return db.changesCount > 0
    }

    /// The warehouse a known product is kept in; nil for a product not in the product file.
    public func warehouse(ofProduct sku: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT warehouse FROM product WHERE sku = ?"), arguments: [sku])
    }

    /// The sku of an order's line, found by the order's ref and the line's number.
    public func sku(ofOrder orderRef: String, lineNo: Int) throws -> String? {
        try String.fetchOne(db, sql: """
            SELECT l.sku FROM order_line l JOIN sales_order o ON o.id = l.order_id WHERE o.order_ref = ? AND l.line_no = ? LIMIT 1
            """, arguments: [orderRef, lineNo])
    }

    /// The id of the order imported under `orderRef`.
    public func orderID(ref orderRef: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM sales_order WHERE order_ref = ?", arguments: [orderRef])
    }

    /// Whether line `lineNo` of order `orderID` is a non-stock line (a charge).
    public func hasNonStockLine(orderID: Int64, lineNo: Int) throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM order_charge WHERE order_id = ? AND line_no = ?)
            """, arguments: [orderID, lineNo]) == true
    }

    /// Sends the lines whose allocation a stock count undid back to Back Order (each with its history row,
    /// through `mover`) and off their pick list.
    public func returnToBackOrder(_ lines: [Int64], mover: StageMover, code: String, reason: String) throws {
        for line in lines {
            guard let row = try Row.fetchOne(db, sql: "SELECT order_id, stage FROM order_line WHERE id = ?", arguments: [line]) else { continue }
            try mover.moveLine(line, orderID: row["order_id"], from: Stage(rawValue: row["stage"]), to: .backOrder, code: code, reason: reason)
            try db.execute(sql: "UPDATE order_line SET pick_list_ref = NULL WHERE id = ?", arguments: [line])
        }
    }
}
