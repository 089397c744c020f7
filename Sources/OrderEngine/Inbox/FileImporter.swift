import Foundation
import GRDB
import OrderImport
import OrderModel
import OrderStore

/// Writes one input file's records into the database, inside the caller's transaction.
///
/// Bad records become exception rows and the rest of the file goes on; an order is
/// all-or-nothing. Master data is upserted by its key; orders and receipts are
/// imported once per key and a repeat is reported as a duplicate.
struct FileImporter {
    let context: CycleContext
    let mapping: Mapping
    /// `inbox-folder/name`, as shown in exception reports.
    let sourceName: String
    let sourceFileID: Int64
    /// Told of each record refused and each order or receipt ignored as a duplicate, with its kind as in the
    /// exception report (`mapping test` lists them).
    var onRefusal: ((RecordRejection, String) -> Void)? = nil

    struct Result {
        var records = 0
        var rejected = 0
        var duplicates = 0
        /// Rows the mapping's `skip_when:` left out: not records, not rejections.
        var skipped = 0
        /// Card numbers read from the card field of every record, to be masked in the archived copy (digits only).
        var cardNumbers: Set<String> = []
    }

    var decoder: RecordDecoder { RecordDecoder(money: context.money) }

    /// - Parameter progress: bytes read and records seen so far.
    func run(_ file: InputFile, _ db: Database, progress: ((Int, Int) throws -> Void)? = nil) throws -> Result {
        switch mapping.feed {
        case .orders: return try importOrders(file, db, progress: progress)
        default: return try importMasterOrReceipts(file, db, progress: progress)
        }
    }

    func reject(_ db: Database, _ rejection: RecordRejection, kind: String = "rejected-record") throws {
        try ExceptionEntry(kind: kind, orderRef: rejection.orderRef, lineNo: rejection.lineNo, sku: rejection.sku,
                           reason: rejection.reason, sourceFile: sourceName, sourceLine: rejection.line)
            .insert(db, cycleID: context.cycleID)
        onRefusal?(rejection, kind)
    }

    /// Custom field values as stored: a JSON object, or NULL when there are none.
    static func json(_ custom: [String: String]) -> String? {
        guard !custom.isEmpty, let data = try? JSONSerialization.data(withJSONObject: custom, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: Orders

    func importOrders(_ file: InputFile, _ db: Database, progress: ((Int, Int) throws -> Void)?) throws -> Result {
        var result = Result()
        var refused: Set<String> = []
        let now = context.now.description

        /// An order of this ref already imported: from this same file (its rows were not together) or another.
        func existing(_ ref: String) throws -> (id: Int64, line: Int, lines: Int, sameFile: Bool, file: String)? {
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT o.id, o.source_line, o.source_file_id, f.name FROM sales_order o JOIN source_file f ON f.id = o.source_file_id
                WHERE o.order_ref = ?
                """), arguments: [ref]) else { return nil }
            let id: Int64 = row[0]
            let sameFile = (row[2] as Int64) == sourceFileID
            let lines = sameFile ? try Int.fetchOne(db, sql: """
                SELECT (SELECT COUNT(*) FROM order_line WHERE order_id = ?1) + (SELECT COUNT(*) FROM order_charge WHERE order_id = ?1 AND kind = 'line')
                """, arguments: [id]) ?? 0 : 0
            return (id, row[1], lines, sameFile, row[3])
        }

        func earlierFromThisFile(_ ref: String) throws -> (id: Int64, line: Int, lines: Int)? {
            guard let found = try existing(ref), found.sameFile else { return nil }
            return (found.id, found.line, found.lines)
        }

        /// Refuses an order whose rows are split: the part imported earlier is taken back, so the order stays all or nothing.
        func refuseSplit(_ ref: String, at line: Int, count: Int) throws {
            if let earlier = try earlierFromThisFile(ref) {
                try db.execute(sql: "DELETE FROM order_line WHERE order_id = ?", arguments: [earlier.id])
                try db.execute(sql: "DELETE FROM order_charge WHERE order_id = ?", arguments: [earlier.id])
                try db.execute(sql: "DELETE FROM sales_order WHERE id = ?", arguments: [earlier.id])
                result.rejected += earlier.lines
                try reject(db, RecordRejection(line: line, field: "order_ref",
                    message: "the rows of order \(ref) are not together: it started at line \(earlier.line) and appears again here; write each order's rows one after another. The whole order is rejected",
                    orderRef: ref), kind: "rejected-order")
            }
            refused.insert(ref)
            result.rejected += count
        }

        // Bound through SQLite's C API: these two run once per order and once per line (see `BulkStatement`).
        let insertOrder = try BulkStatement(db, sql: """
            INSERT INTO sales_order (order_ref, order_date, customer_ref, payment_method, card_status, card_last4,
                card_expiry, ship_name, ship_address1, ship_address2, ship_city, ship_postcode, ship_country,
                source_file_id, source_line, imported_at, custom, priority, ship_policy, currency)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (order_ref) DO NOTHING
            """)
        let insertLine = try BulkStatement(db, sql: """
            INSERT INTO order_line (order_id, line_no, sku, quantity, unit_price, stage, stage_since, source_line, custom, queue_key,
                                    quantity_as_written, unit_as_written, unit_checked)
            VALUES (?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertCharge = try BulkStatement(db, sql: """
            INSERT INTO order_charge (order_id, kind, line_no, sku, quantity, unit_price, value, source_line, custom)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var products = ProductUnitsCache()
        let homeUnits = context.engine.config.units

        /// Each line's quantity in its product's stock unit (nil: the product is not known yet, the line is
        /// checked when it arrives), or the order's refusal when a line's unit or precision is not allowed.
        func stockQuantities(_ order: OrderInput) throws -> [Quantity?]? {
            var quantities: [Quantity?] = []
            var problems: [RecordRejection] = []
            for line in order.lines {
                // A non-stock line has no product to convert to (its quantity is kept as written); a whole
                // quantity in the stock unit needs no product: it fits every precision and converts to itself.
                if line.kind == .nonStock || (line.unit == nil && line.quantity.isWhole) {
                    quantities.append(line.quantity)
                    continue
                }
                guard let product = try products.units(line.sku, db) else {
                    quantities.append(nil)
                    continue
                }
                switch product.stockQuantity(line.quantity, unit: line.unit, home: homeUnits, line: line.sourceLine, field: "quantity") {
                case .success(let q): quantities.append(q)
                case .failure(var problem):
                    problem.lineNo = line.lineNo
                    problem.location = line.location
                    problems.append(problem)
                }
            }
            guard !problems.isEmpty else { return quantities }
            let rejection = OrderRejection(orderRef: order.orderRef, lineCount: order.lines.count, problems: problems)
            for problem in rejection.reportedProblems { try reject(db, problem, kind: "rejected-order") }
            result.rejected += order.lines.count
            refused.insert(order.orderRef)
            return nil
        }

        func complete(_ outcome: Swift.Result<OrderInput, OrderRejection>?) throws {
            switch outcome {
            case nil:
                return
            case .failure(let rejection):
                let split = try earlierFromThisFile(rejection.orderRef) != nil
                if refused.contains(rejection.orderRef) || split {
                    try refuseSplit(rejection.orderRef, at: rejection.problems.first?.line ?? 0, count: 0)
                }
                for problem in rejection.reportedProblems {
                    try reject(db, problem, kind: "rejected-order")
                }
                result.rejected += rejection.lineCount
            case .success(let order):
                if refused.contains(order.orderRef) {
                    result.rejected += order.lines.count
                    return
                }
                guard let quantities = try stockQuantities(order) else { return }
                insertOrder.bind(order.orderRef, at: 1); insertOrder.bind(order.orderDate.description, at: 2)
                insertOrder.bind(order.customerRef, at: 3); insertOrder.bind(order.paymentMethod?.rawValue, at: 4)
                insertOrder.bind(order.card.status.rawValue, at: 5); insertOrder.bind(order.card.lastFour, at: 6)
                insertOrder.bind(order.cardExpiry?.stored, at: 7); insertOrder.bind(order.shipTo.name, at: 8)
                insertOrder.bind(order.shipTo.address1, at: 9); insertOrder.bind(order.shipTo.address2, at: 10)
                insertOrder.bind(order.shipTo.city, at: 11); insertOrder.bind(order.shipTo.postcode, at: 12)
                insertOrder.bind(order.shipTo.country, at: 13); insertOrder.bind(sourceFileID, at: 14)
                insertOrder.bind(order.sourceLine, at: 15); insertOrder.bind(now, at: 16)
                insertOrder.bind(Self.json(order.custom), at: 17); insertOrder.bind(order.priority, at: 18)
                insertOrder.bind(order.shipPolicy?.description, at: 19); insertOrder.bind(order.currency?.code, at: 20)
                try insertOrder.execute()
                // The unique order_ref says whether the order is new; only a repeat pays for the lookup.
                if db.changesCount == 0 {
                    guard let earlier = try existing(order.orderRef) else {
                        throw EngineError.notPossible("order_ref \(order.orderRef) is taken but its order cannot be read: the database may be damaged (check it with sqlite3 and 'PRAGMA integrity_check')")
                    }
                    if earlier.sameFile {
                        try refuseSplit(order.orderRef, at: order.sourceLine, count: order.lines.count)
                        return
                    }
                    let reason = "order_ref \(order.orderRef) was already imported (from \(earlier.file) line \(earlier.line)); this copy is ignored"
                    try ExceptionEntry(kind: "duplicate-order", orderRef: order.orderRef, reason: reason,
                                       sourceFile: sourceName, sourceLine: order.sourceLine).insert(db, cycleID: context.cycleID)
                    onRefusal?(RecordRejection(line: order.sourceLine, field: "order_ref", message: reason, orderRef: order.orderRef), "duplicate-order")
                    result.duplicates += 1
                    return
                }
                let orderID = db.lastInsertedRowID
                let queuePrefix = QueueKey.prefix(priority: order.priority, orderDate: order.orderDate, orderID: orderID)
                /// A non-stock amount; the decoder checked that quantity × price is within the limit for money.
                func charge(_ kind: ChargeKind, lineNo: Int?, sku: String?, quantity: Quantity, price: UnitPrice, line: Int, custom: String?) throws {
                    insertCharge.bind(orderID, at: 1); insertCharge.bind(kind.rawValue, at: 2); insertCharge.bind(lineNo, at: 3)
                    insertCharge.bind(sku, at: 4); insertCharge.bind(quantity.thousandths, at: 5); insertCharge.bind(price.tenThousandths, at: 6)
                    insertCharge.bind(try LineValue.of(quantity, at: price).minorUnits, at: 7); insertCharge.bind(line, at: 8)
                    insertCharge.bind(custom, at: 9)
                    try insertCharge.execute()
                }
                // An order-level amount is one unit at its price (money, so its ten-thousandths cannot overflow within the limit).
                if let shipping = order.shippingCharge, shipping != .zero, let price = UnitPrice(shipping) {
                    try charge(.shipping, lineNo: nil, sku: nil, quantity: 1, price: price, line: order.sourceLine, custom: nil)
                }
                if let discount = order.discount, discount != .zero, let price = UnitPrice(Money(minorUnits: -discount.minorUnits)) {
                    try charge(.discount, lineNo: nil, sku: nil, quantity: 1, price: price, line: order.sourceLine, custom: nil)
                }
                for (line, stock) in zip(order.lines, quantities) {
                    let custom = line.custom.isEmpty ? nil : Self.json(line.custom.filter { $0.key.hasPrefix("line.") })
                    if line.kind == .nonStock {
                        try charge(.line, lineNo: line.lineNo, sku: line.sku.isEmpty ? nil : line.sku, quantity: line.quantity,
                                   price: line.unitPrice ?? .zero, line: line.sourceLine, custom: custom)
                        continue
                    }
                    insertLine.bind(orderID, at: 1); insertLine.bind(line.lineNo, at: 2); insertLine.bind(line.sku, at: 3)
                    insertLine.bind((stock ?? line.quantity).thousandths, at: 4); insertLine.bind(line.unitPrice?.tenThousandths, at: 5)
                    insertLine.bind(now, at: 6); insertLine.bind(line.sourceLine, at: 7)
                    insertLine.bind(custom, at: 8)
                    insertLine.bind(QueueKey.make(prefix: queuePrefix, lineNo: line.lineNo, part: 0), at: 9)
                    // As written, for the record; a line in its stock unit with a whole quantity keeps neither.
                    let plain = line.unit == nil && stock == line.quantity
                    insertLine.bind(plain ? nil : line.quantity.description, at: 10); insertLine.bind(line.unit, at: 11)
                    insertLine.bind(stock != nil || (line.unit == nil && line.quantity.isWhole), at: 12)
                    try insertLine.execute()
                }
            }
        }

        // The file is read and assembled on a second thread; the orders are written here, in file order.
        let reader = OrderFeedPipeline(file: file, mapping: mapping, decoder: decoder)
        defer { reader.close() }
        while let batch = try reader.next() {
            result.records += batch.records
            for item in batch.items {
                switch item {
                case .order(let outcome): try complete(outcome)
                case .rejected(let rejection):
                    try reject(db, rejection)
                    result.rejected += 1
                }
            }
            try progress?(batch.bytes, result.records)
        }
        result.cardNumbers = reader.cardNumbers
        result.skipped = reader.skipped
        return result
    }

    /// The card field of an order row, to be masked in the kept copy even where it fails Luhn. (Luhn-valid
    /// numbers anywhere else in the file are found by the masking scan itself.)
    static func cardNumbers(in record: MappedRecord, cardIndex: Int, into found: inout Set<String>) {
        let value = record.values[cardIndex]
        if value.utf8.count >= 12, let digits = CardNumberRedactor.cardDigits(value) { found.insert(digits) }
    }

    /// The warehouse a record names, or its product's; a record with neither is rejected.
    static func warehouse(_ given: String?, sku: String, line: Int, _ db: Database) throws -> String {
        if let given { return given }
        if let known = try String.fetchOne(db.cachedStatement(sql: "SELECT warehouse FROM product WHERE sku = ?"), arguments: [sku]) {
            return known
        }
        throw RecordRejection.badValue(line: line, field: "warehouse", found: "",
                                       expected: "a warehouse, since sku \(sku) is not in the product file to take it from")
    }

    /// A receipt's, count's or despatch's quantity in its product's stock unit. A product not in the product
    /// file yet takes the quantity as written in its stock unit (a unit is then refused: nothing says what it is).
    func stockQuantity(_ quantity: Quantity, unit: String?, sku: String, line: Int, field: String, _ db: Database) throws -> Quantity {
        let units = context.engine.config.units
        guard let product = try ProductUnits.load(sku: sku, db) else {
            guard unit == nil else {
                throw RecordRejection(line: line, field: "unit", message: "field unit: found '\(unit ?? "")', expected no unit, since sku \(sku) is not in the product file to say which units it is kept in", sku: sku)
            }
            return quantity
        }
        return try product.stockQuantity(quantity, unit: unit, home: units, line: line, field: field).get()
    }

    /// An upsert keeps custom fields that this file does not mention and overwrites the ones it does.
    static func mergeCustom(_ table: String) -> String {
        "custom = CASE WHEN excluded.custom IS NULL THEN \(table).custom ELSE json_patch(COALESCE(\(table).custom, '{}'), excluded.custom) END"
    }

    // MARK: Master data and receipts

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
          AND EXISTS (SELECT 1 FROM order_line l WHERE l.order_id = sales_order.id AND l.stage = 'back-order')
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

    func importMasterOrReceipts(_ file: InputFile, _ db: Database, progress: ((Int, Int) throws -> Void)?) throws -> Result {
        var result = Result()
        // The per-record statements, prepared on first use and bound through SQLite's C API (a file can hold
        // a whole catalogue).
        var statements: [String: BulkStatement] = [:]
        func statement(_ name: String, _ make: () throws -> BulkStatement) throws -> BulkStatement {
            if let made = statements[name] { return made }
            let made = try make()
            statements[name] = made
            return made
        }
        let now = context.now.description
        let defaultWarehouse = context.engine.config.defaultWarehouse
        let summary = try FeedReader(mapping: mapping).read(file, progress: { try progress?($0, result.records) }) { record in
            result.records += 1
            do {
                let mapped = try record.get()
                switch mapping.feed {
                case .customers:
                    let c = try decoder.customer(mapped)
                    let upsert = try statement("customer") { try BulkStatement(db, sql: Self.customerUpsert) }
                    upsert.bind(c.customerRef, at: 1); upsert.bind(c.name, at: 2); upsert.bind(c.terms.rawValue, at: 3)
                    upsert.bind(c.creditLimit.minorUnits, at: 4); upsert.bind(c.balance.minorUnits, at: 5); upsert.bind(c.onStop, at: 6)
                    upsert.bind(c.email, at: 7); upsert.bind(c.address1, at: 8); upsert.bind(c.address2, at: 9); upsert.bind(c.city, at: 10)
                    upsert.bind(c.postcode, at: 11); upsert.bind(c.country, at: 12); upsert.bind(now, at: 13)
                    upsert.bind(Self.json(c.custom), at: 14); upsert.bind(c.shipPolicy?.description, at: 15)
                    upsert.bind(c.currency?.code, at: 16)
                    try upsert.execute()
                    // A changed policy may let the customer's waiting orders ship: look at them again.
                    let look = try statement("customer-orders") { try BulkStatement(db, sql: Self.customerOrdersChanged) }
                    look.bind(c.customerRef, at: 1)
                    try look.execute()
                case .products:
                    let p = try decoder.product(mapped)
                    let upsert = try statement("product") { try BulkStatement(db, sql: Self.productUpsert) }
                    upsert.bind(p.sku, at: 1); upsert.bind(p.description, at: 2); upsert.bind(p.category, at: 3)
                    upsert.bind(p.unitPrice.tenThousandths, at: 4); upsert.bind(p.dropShip, at: 5); upsert.bind(p.supplierRef, at: 6)
                    upsert.bind(p.supplierCost?.tenThousandths, at: 7); upsert.bind(p.warehouse ?? defaultWarehouse, at: 8)
                    upsert.bind(p.binLocation, at: 9); upsert.bind(now, at: 10); upsert.bind(Self.json(p.custom), at: 11)
                    upsert.bind(p.stockUnit, at: 12); upsert.bind(p.quantityDecimals, at: 13)
                    upsert.bind(p.units.rules.isEmpty ? nil : p.units.rules.map { "\($0.from)=\($0.factor)" }.joined(separator: ";"), at: 14)
                    try upsert.execute()
                case .suppliers:
                    let s = try decoder.supplier(mapped)
                    try db.cachedStatement(sql: """
                        INSERT INTO supplier (supplier_ref, name, email, po_format, updated_at, custom) VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (supplier_ref) DO UPDATE SET name = excluded.name, email = excluded.email,
                            po_format = excluded.po_format, updated_at = excluded.updated_at, \(Self.mergeCustom("supplier"))
                        """).execute(arguments: [s.supplierRef, s.name, s.email, s.poFormat.rawValue, now, Self.json(s.custom)])
                case .receipts:
                    let r = try decoder.receipt(mapped)
                    let warehouse = try Self.warehouse(r.warehouse, sku: r.sku, line: r.sourceLine, db)
                    let quantity = try stockQuantity(r.quantity, unit: r.unit, sku: r.sku, line: r.sourceLine, field: "quantity", db)
                    let insert = try statement("receipt") { try BulkStatement(db, sql: Self.receiptInsert) }
                    insert.bind(r.receiptRef, at: 1); insert.bind(r.sku, at: 2); insert.bind(quantity.thousandths, at: 3)
                    let plain = r.unit == nil && quantity == r.quantity
                    insert.bind(plain ? nil : r.quantity.description, at: 9); insert.bind(r.unit, at: 10)
                    insert.bind(warehouse, at: 4); insert.bind((r.receivedAt ?? context.now).description, at: 5)
                    insert.bind(sourceFileID, at: 6); insert.bind(r.sourceLine, at: 7); insert.bind(Self.json(r.custom), at: 8)
                    try insert.execute()
                    // The key (receipt_ref, sku) says whether the receipt is new; only a repeat pays for more.
                    if db.changesCount == 0 {
                        let reason = "receipt \(r.receiptRef) for sku \(r.sku) was already imported; this copy is ignored"
                        try ExceptionEntry(kind: "duplicate-receipt", sku: r.sku, reason: reason,
                                           sourceFile: sourceName, sourceLine: r.sourceLine).insert(db, cycleID: context.cycleID)
                        var duplicate = RecordRejection(line: r.sourceLine, field: "receipt_ref", message: reason, sku: r.sku)
                        duplicate.location = mapped.location
                        onRefusal?(duplicate, "duplicate-receipt")
                        result.duplicates += 1
                        return
                    }
                    try StockLedger(db: db).receive(sku: r.sku, warehouse: warehouse, quantity: quantity,
                                                    source: "receipt \(r.receiptRef)", at: (r.receivedAt ?? context.now).description)
                case .stock:
                    let count = try decoder.stockCount(mapped)
                    let warehouse = try Self.warehouse(count.warehouse, sku: count.sku, line: count.sourceLine, db)
                    let onHand = try stockQuantity(count.onHand, unit: count.unit, sku: count.sku, line: count.sourceLine, field: "on_hand", db)
                    let undone = try StockLedger(db: db).count(sku: count.sku, warehouse: warehouse, onHand: onHand,
                                                              source: "stock count \(sourceName) line \(count.sourceLine)",
                                                              at: (count.countedAt ?? context.now).description)
                    let mover = StageMover(db: db, at: context.now, cycleID: context.cycleID, actor: "import")
                    for line in undone {
                        guard let row = try Row.fetchOne(db, sql: "SELECT order_id, stage FROM order_line WHERE id = ?", arguments: [line]) else { continue }
                        try mover.moveLine(line, orderID: row["order_id"], from: Stage(rawValue: row["stage"]), to: .backOrder,
                                           code: "stock-count", reason: "stock count set \(count.sku) in \(warehouse) to \(onHand): allocation undone")
                        try db.execute(sql: "UPDATE order_line SET pick_list_ref = NULL WHERE id = ?", arguments: [line])
                    }
                case .despatches:
                    var input = try decoder.despatch(mapped)
                    if let sku = try String.fetchOne(db, sql: """
                        SELECT l.sku FROM order_line l JOIN sales_order o ON o.id = l.order_id WHERE o.order_ref = ? AND l.line_no = ? LIMIT 1
                        """, arguments: [input.orderRef, input.lineNo]) {
                        input.quantity = try stockQuantity(input.quantity, unit: input.unit, sku: sku, line: input.sourceLine, field: "quantity_despatched", db)
                    }
                    let mover = StageMover(db: db, at: context.now, cycleID: context.cycleID, actor: "import")
                    if let rejection = try DespatchConfirmation(db: db, mover: mover, now: context.now).apply(input, sourceFileID: sourceFileID) {
                        throw rejection
                    }
                case .cancellations:
                    let input = try decoder.cancellation(mapped)
                    guard let orderID = try Int64.fetchOne(db, sql: "SELECT id FROM sales_order WHERE order_ref = ?", arguments: [input.orderRef]) else {
                        throw RecordRejection(line: input.sourceLine, field: "order_ref",
                                              message: "field order_ref: found '\(input.orderRef)', expected an order that was imported", orderRef: input.orderRef)
                    }
                    let mover = StageMover(db: db, at: context.now, cycleID: context.cycleID, actor: "import")
                    let count = try Cancellation(db: db, mover: mover).cancel(orderID: orderID, lineNo: input.lineNo,
                                                                              reason: "cancelled by \(sourceName) line \(input.sourceLine)")
                    if count == 0, let lineNo = input.lineNo, try Bool.fetchOne(db, sql: """
                        SELECT EXISTS (SELECT 1 FROM order_charge WHERE order_id = ? AND line_no = ?)
                        """, arguments: [orderID, lineNo]) == true {
                        throw RecordRejection(line: input.sourceLine, field: "line_no",
                                              message: "order \(input.orderRef) line \(lineNo) is a non-stock line: there is nothing to cancel on it (it counts in the order's value while the order has open stock lines); cancel the order, or leave it",
                                              orderRef: input.orderRef, lineNo: lineNo)
                    }
                    if count == 0 {
                        throw RecordRejection(line: input.sourceLine, field: input.lineNo == nil ? "order_ref" : "line_no",
                                              message: "order \(input.orderRef)\(input.lineNo.map { " line \($0)" } ?? "") has nothing left to cancel (despatched, on a sent purchase order, or cancelled already)",
                                              orderRef: input.orderRef, lineNo: input.lineNo)
                    }
                case .orders:
                    throw EngineError.notPossible("an orders file reached the importer of other feeds; orders are imported by importOrders")
                }
            } catch let rejection as RecordRejection {
                var r = rejection
                if r.location == nil, case .success(let m) = record { r.location = m.location }
                if [.products, .receipts, .stock].contains(mapping.feed), case .success(let m) = record {
                    let sku = m.values[mapping.feed.index(of: "sku")]
                    r.sku = sku.isEmpty ? nil : sku
                }
                try reject(db, r)
                result.rejected += 1
            }
        }
        result.skipped = summary.skipped
        return result
    }
}
