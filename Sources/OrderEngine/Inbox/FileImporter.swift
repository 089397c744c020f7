import Foundation
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
    var onRefusal: ((RecordRejection, ExceptionKind) -> Void)? = nil

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
    func run(_ file: InputFile, _ tx: StoreTransaction, progress: ((Int, Int) throws -> Void)? = nil) throws -> Result {
        switch mapping.feed {
        case .orders: return try importOrders(file, tx, progress: progress)
        default: return try importMasterOrReceipts(file, tx, progress: progress)
        }
    }

    func reject(_ tx: StoreTransaction, _ rejection: RecordRejection, kind: ExceptionKind = .rejectedRecord) throws {
        try tx.record(ExceptionNote(kind: kind, orderRef: rejection.orderRef, lineNo: rejection.lineNo, sku: rejection.sku,
                                    reason: rejection.reason, sourceFile: sourceName, sourceLine: rejection.line), cycleID: context.cycleID)
        onRefusal?(rejection, kind)
    }

    /// Custom field values as stored: a JSON object, or NULL when there are none.
    static func json(_ custom: [String: String]) -> String? {
        guard !custom.isEmpty, let data = try? JSONSerialization.data(withJSONObject: custom, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: Orders

    func importOrders(_ file: InputFile, _ tx: StoreTransaction, progress: ((Int, Int) throws -> Void)?) throws -> Result {
        var result = Result()
        var refused: Set<String> = []
        // The orders, lines and charges go through statements prepared once for the file (see `OrderImportWriter`).
        let writer = try OrderImportWriter(tx, sourceFileID: sourceFileID, now: context.now)

        /// An order of this ref already imported: from this same file (its rows were not together) or another.
        func existing(_ ref: String) throws -> (id: Int64, line: Int, lines: Int, sameFile: Bool, file: String)? {
            guard let match = try writer.match(ref) else { return nil }
            let sameFile = match.sourceFileID == sourceFileID
            let lines = sameFile ? try writer.lineCount(ofOrder: match.orderID) : 0
            return (match.orderID, match.sourceLine, lines, sameFile, match.fileName)
        }

        func earlierFromThisFile(_ ref: String) throws -> (id: Int64, line: Int, lines: Int)? {
            guard let found = try existing(ref), found.sameFile else { return nil }
            return (found.id, found.line, found.lines)
        }

        /// Refuses an order whose rows are split: the part imported earlier is taken back, so the order stays all or nothing.
        func refuseSplit(_ ref: String, at line: Int, count: Int) throws {
            if let earlier = try earlierFromThisFile(ref) {
                try writer.remove(order: earlier.id)
                result.rejected += earlier.lines
                try reject(tx, RecordRejection(line: line, field: "order_ref",
                    message: "the rows of order \(ref) are not together: it started at line \(earlier.line) and appears again here; write each order's rows one after another. The whole order is rejected",
                    orderRef: ref), kind: .rejectedOrder)
            }
            refused.insert(ref)
            result.rejected += count
        }

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
                guard let product = try products.units(line.sku, tx) else {
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
            for problem in rejection.reportedProblems { try reject(tx, problem, kind: .rejectedOrder) }
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
                    try reject(tx, problem, kind: .rejectedOrder)
                }
                result.rejected += rejection.lineCount
            case .success(let order):
                if refused.contains(order.orderRef) {
                    result.rejected += order.lines.count
                    return
                }
                guard let quantities = try stockQuantities(order) else { return }
                let inserted = try writer.insert(ImportedOrder(
                    orderRef: order.orderRef, orderDate: order.orderDate.description, customerRef: order.customerRef,
                    paymentMethod: order.paymentMethod?.rawValue, cardStatus: order.card.status.rawValue, cardLastFour: order.card.lastFour,
                    cardExpiry: order.cardExpiry?.stored, shipName: order.shipTo.name, shipAddress1: order.shipTo.address1,
                    shipAddress2: order.shipTo.address2, shipCity: order.shipTo.city, shipPostcode: order.shipTo.postcode,
                    shipCountry: order.shipTo.country, sourceLine: order.sourceLine, custom: Self.json(order.custom),
                    priority: order.priority, shipPolicy: order.shipPolicy?.description, currency: order.currency?.code))
                // The unique order_ref says whether the order is new; only a repeat pays for the lookup.
                guard let orderID = inserted else {
                    guard let earlier = try existing(order.orderRef) else {
                        throw EngineError.notPossible("order_ref \(order.orderRef) is taken but its order cannot be read: the database may be damaged (check it with sqlite3 and 'PRAGMA integrity_check')")
                    }
                    if earlier.sameFile {
                        try refuseSplit(order.orderRef, at: order.sourceLine, count: order.lines.count)
                        return
                    }
                    let reason = "order_ref \(order.orderRef) was already imported (from \(earlier.file) line \(earlier.line)); this copy is ignored"
                    try tx.record(ExceptionNote(kind: .duplicateOrder, orderRef: order.orderRef, reason: reason,
                                                sourceFile: sourceName, sourceLine: order.sourceLine), cycleID: context.cycleID)
                    onRefusal?(RecordRejection(line: order.sourceLine, field: "order_ref", message: reason, orderRef: order.orderRef), .duplicateOrder)
                    result.duplicates += 1
                    return
                }
                let queuePrefix = QueueKey.prefix(priority: order.priority, orderDate: order.orderDate, orderID: orderID)
                /// A non-stock amount; the decoder checked that quantity × price is within the limit for money.
                func charge(_ kind: ChargeKind, lineNo: Int?, sku: String?, quantity: Quantity, price: UnitPrice, line: Int, custom: String?) throws {
                    try writer.insertCharge(orderID: orderID, kind: kind.rawValue, lineNo: lineNo, sku: sku, quantity: quantity, unitPrice: price,
                                            value: try LineValue.of(quantity, at: price), sourceLine: line, custom: custom)
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
                    // As written, for the record; a line in its stock unit with a whole quantity keeps neither.
                    let plain = line.unit == nil && stock == line.quantity
                    try writer.insertLine(orderID: orderID, lineNo: line.lineNo, sku: line.sku, quantity: stock ?? line.quantity,
                                          unitPrice: line.unitPrice, sourceLine: line.sourceLine, custom: custom,
                                          queueKey: QueueKey.make(prefix: queuePrefix, lineNo: line.lineNo, part: 0),
                                          quantityAsWritten: plain ? nil : line.quantity.description, unitAsWritten: line.unit,
                                          unitChecked: stock != nil || (line.unit == nil && line.quantity.isWhole))
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
                    try reject(tx, rejection)
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
    static func warehouse(_ given: String?, sku: String, line: Int, _ writer: MasterDataImportWriter) throws -> String {
        if let given { return given }
        if let known = try writer.warehouse(ofProduct: sku) {
            return known
        }
        throw RecordRejection.badValue(line: line, field: "warehouse", found: "",
                                       expected: "a warehouse, since sku \(sku) is not in the product file to take it from")
    }

    /// A receipt's, count's or despatch's quantity in its product's stock unit. A product not in the product
    /// file yet takes the quantity as written in its stock unit (a unit is then refused: nothing says what it is).
    func stockQuantity(_ quantity: Quantity, unit: String?, sku: String, line: Int, field: String, _ tx: StoreTransaction) throws -> Quantity {
        let units = context.engine.config.units
        guard let product = try ProductUnits.load(sku: sku, tx) else {
            guard unit == nil else {
                throw RecordRejection(line: line, field: "unit", message: "field unit: found '\(unit ?? "")', expected no unit, since sku \(sku) is not in the product file to say which units it is kept in", sku: sku)
            }
            return quantity
        }
        return try product.stockQuantity(quantity, unit: unit, home: units, line: line, field: field).get()
    }

    // MARK: Master data and receipts

    func importMasterOrReceipts(_ file: InputFile, _ tx: StoreTransaction, progress: ((Int, Int) throws -> Void)?) throws -> Result {
        var result = Result()
        // The per-record statements, prepared on first use (a file can hold a whole catalogue).
        let writer = MasterDataImportWriter(tx, sourceFileID: sourceFileID, now: context.now)
        let defaultWarehouse = context.engine.config.defaultWarehouse
        let summary = try FeedReader(mapping: mapping).read(file, progress: { try progress?($0, result.records) }) { record in
            result.records += 1
            do {
                let mapped = try record.get()
                switch mapping.feed {
                case .customers:
                    let c = try decoder.customer(mapped)
                    // A changed policy may let the customer's waiting orders ship: the upsert marks them to be looked at again.
                    try writer.upsert(ImportedCustomer(
                        customerRef: c.customerRef, name: c.name, terms: c.terms.rawValue, creditLimit: c.creditLimit, balance: c.balance,
                        onStop: c.onStop, email: c.email, address1: c.address1, address2: c.address2, city: c.city, postcode: c.postcode,
                        country: c.country, custom: Self.json(c.custom), shipPolicy: c.shipPolicy?.description, currency: c.currency?.code))
                case .products:
                    let p = try decoder.product(mapped)
                    try writer.upsert(ImportedProduct(
                        sku: p.sku, description: p.description, category: p.category, unitPrice: p.unitPrice, dropShip: p.dropShip,
                        supplierRef: p.supplierRef, supplierCost: p.supplierCost, warehouse: p.warehouse ?? defaultWarehouse,
                        binLocation: p.binLocation, custom: Self.json(p.custom), stockUnit: p.stockUnit, quantityDecimals: p.quantityDecimals,
                        units: p.units.rules.isEmpty ? nil : p.units.rules.map { "\($0.from)=\($0.factor)" }.joined(separator: ";")))
                case .suppliers:
                    let s = try decoder.supplier(mapped)
                    try writer.upsertSupplier(ref: s.supplierRef, name: s.name, email: s.email, poFormat: s.poFormat.rawValue,
                                              custom: Self.json(s.custom))
                case .receipts:
                    let r = try decoder.receipt(mapped)
                    let warehouse = try Self.warehouse(r.warehouse, sku: r.sku, line: r.sourceLine, writer)
                    let quantity = try stockQuantity(r.quantity, unit: r.unit, sku: r.sku, line: r.sourceLine, field: "quantity", tx)
                    let plain = r.unit == nil && quantity == r.quantity
                    let inserted = try writer.insertReceipt(ref: r.receiptRef, sku: r.sku, quantity: quantity, warehouse: warehouse,
                                                            receivedAt: r.receivedAt ?? context.now, sourceLine: r.sourceLine,
                                                            custom: Self.json(r.custom), quantityAsWritten: plain ? nil : r.quantity.description,
                                                            unitAsWritten: r.unit)
                    // The key (receipt_ref, sku) says whether the receipt is new; only a repeat pays for more.
                    if !inserted {
                        let reason = "receipt \(r.receiptRef) for sku \(r.sku) was already imported; this copy is ignored"
                        try tx.record(ExceptionNote(kind: .duplicateReceipt, sku: r.sku, reason: reason,
                                                    sourceFile: sourceName, sourceLine: r.sourceLine), cycleID: context.cycleID)
                        var duplicate = RecordRejection(line: r.sourceLine, field: "receipt_ref", message: reason, sku: r.sku)
                        duplicate.location = mapped.location
                        onRefusal?(duplicate, .duplicateReceipt)
                        result.duplicates += 1
                        return
                    }
                    try StockLedger(tx).receive(sku: r.sku, warehouse: warehouse, quantity: quantity,
                                                    source: "receipt \(r.receiptRef)", at: (r.receivedAt ?? context.now).description)
                case .stock:
                    let count = try decoder.stockCount(mapped)
                    let warehouse = try Self.warehouse(count.warehouse, sku: count.sku, line: count.sourceLine, writer)
                    let onHand = try stockQuantity(count.onHand, unit: count.unit, sku: count.sku, line: count.sourceLine, field: "on_hand", tx)
                    let undone = try StockLedger(tx).count(sku: count.sku, warehouse: warehouse, onHand: onHand,
                                                              source: "stock count \(sourceName) line \(count.sourceLine)",
                                                              at: (count.countedAt ?? context.now).description)
                    let mover = StageMover(tx, at: context.now, cycleID: context.cycleID, actor: .importer)
                    try writer.returnToBackOrder(undone, mover: mover, code: "stock-count",
                                                 reason: "stock count set \(count.sku) in \(warehouse) to \(onHand): allocation undone")
                case .despatches:
                    var input = try decoder.despatch(mapped)
                    if let sku = try writer.sku(ofOrder: input.orderRef, lineNo: input.lineNo) {
                        input.quantity = try stockQuantity(input.quantity, unit: input.unit, sku: sku, line: input.sourceLine, field: "quantity_despatched", tx)
                    }
                    let mover = StageMover(tx, at: context.now, cycleID: context.cycleID, actor: .importer)
                    if let rejection = try DespatchConfirmation(tx, mover: mover, now: context.now).apply(input, sourceFileID: sourceFileID) {
                        throw rejection
                    }
                case .cancellations:
                    let input = try decoder.cancellation(mapped)
                    guard let orderID = try writer.orderID(ref: input.orderRef) else {
                        throw RecordRejection(line: input.sourceLine, field: "order_ref",
                                              message: "field order_ref: found '\(input.orderRef)', expected an order that was imported", orderRef: input.orderRef)
                    }
                    let mover = StageMover(tx, at: context.now, cycleID: context.cycleID, actor: .importer)
                    let count = try Cancellation(tx, mover: mover).cancel(orderID: orderID, lineNo: input.lineNo,
                                                                              reason: "cancelled by \(sourceName) line \(input.sourceLine)")
                    if count == 0, let lineNo = input.lineNo, try writer.hasNonStockLine(orderID: orderID, lineNo: lineNo) {
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
                try reject(tx, r)
                result.rejected += 1
            }
        }
        result.skipped = summary.skipped
        return result
    }
}
