import Foundation
import GRDB
import OrderAllocation
import OrderExport
import OrderModel
import OrderStore

/// Step 6: pick lists, drop-ship purchase orders and the exception report.
///
/// In one transaction the documents are rendered and stored, lines become despatched
/// and stock falls; only then are the files published. A crash between the two leaves
/// the documents pending, and the next cycle publishes them before anything else.
public struct ExportStep: CycleStep {
    public let name = "export"
    public init() {}

    public func run(_ context: CycleContext) throws -> StepReport {
        let counts = try context.db.write { db -> (Int, Int, Int) in
            let pickLists = try exportPickLists(db, context)
            let orders = try exportPurchaseOrders(db, context)
            let exceptions = try exportExceptions(db, context)
            return (pickLists, orders, exceptions)
        }
        let published = OutboxPublisher(context: context).publishPending()
        return StepReport(step: name, ["pick lists": counts.0, "purchase orders": counts.1, "exception rows": counts.2,
                                       "files written": published.written], warnings: published.failures)
    }

    /// The order's ship-to; a blank name is the customer's name, and a blank address (every
    /// address field blank) is the customer's address, so an order never mixes two addresses.
    static let shipTo = """
        CASE WHEN o.ship_name <> '' THEN o.ship_name ELSE COALESCE(c.name, '') END AS ship_name,
        CASE WHEN \(ownAddress) THEN o.ship_address1 ELSE COALESCE(c.address1, '') END AS ship_address1,
        CASE WHEN \(ownAddress) THEN o.ship_address2 ELSE COALESCE(c.address2, '') END AS ship_address2,
        CASE WHEN \(ownAddress) THEN o.ship_city ELSE COALESCE(c.city, '') END AS ship_city,
        CASE WHEN \(ownAddress) THEN o.ship_postcode ELSE COALESCE(c.postcode, '') END AS ship_postcode,
        CASE WHEN \(ownAddress) THEN o.ship_country ELSE COALESCE(c.country, '') END AS ship_country
        """
    /// Whether the order gives an address of its own. Compared field by field (the columns are NOT NULL):
    /// a concatenation of the five fields, once per output column, cost five new strings per row.
    static let ownAddress = """
        (o.ship_address1 <> '' OR o.ship_address2 <> '' OR o.ship_city <> '' OR o.ship_postcode <> '' OR o.ship_country <> '')
        """

    static func address(_ row: Row, _ c: ColumnIndex) -> Address {
        Address(name: row[c.ship_name], address1: row[c.ship_address1], address2: row[c.ship_address2],
                city: row[c.ship_city], postcode: row[c.ship_postcode], country: row[c.ship_country])
    }

    static func store(_ db: Database, _ context: CycleContext, folder: String, name: String, bytes: [UInt8], rows: Int) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO outbox_file (folder, name, content, rows, cycle_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [folder, name, Data(bytes), rows, context.cycleID, context.now.description])
        return db.lastInsertedRowID
    }

    /// A name part that cannot escape its folder or confuse a shell: letters, digits, `-` and `_` only.
    static func safeName(_ text: String) -> String {
        let cleaned = String(text.unicodeScalars.map { s -> Character in
            (s.isASCII && (CharacterSet.alphanumerics.contains(s) || s == "-" || s == "_")) ? Character(s) : "_"
        })
        return cleaned.isEmpty ? "_" : String(cleaned.prefix(40))
    }

    /// A picking line as the pick list and the despatch need it.
    struct PickedLine {
        var id, orderID: Int64
        var warehouse: String
        var allocated: Quantity
        var line: PickListLine
    }

    func exportPickLists(_ db: Database, _ context: CycleContext) throws -> Int {
        let query = try db.makeStatement(sql: """
            SELECT l.id, l.order_id, l.warehouse, COALESCE(p.bin_location, '') AS bin_location, l.sku,
                   COALESCE(p.description, '') AS description, l.quantity, l.allocated, o.order_ref, l.line_no, o.customer_ref,
                   \(Self.shipTo)
            FROM order_line l JOIN sales_order o ON o.id = l.order_id
            LEFT JOIN product p ON p.sku = l.sku LEFT JOIN customer c ON c.customer_ref = o.customer_ref
            WHERE l.stage = 'picking' AND l.pick_list_ref IS NULL
            """)
        // Read straight into values, by column position: a pick list can hold a whole day's lines.
        let c = ColumnIndex(query)
        let (id, orderID, warehouse, bin, sku, description, quantity, allocated, orderRef, lineNo, customerRef) =
            (c.id, c.order_id, c.warehouse, c.bin_location, c.sku, c.description, c.quantity, c.allocated, c.order_ref, c.line_no,
             c.customer_ref)
        let (name, address1, address2, city, postcode, country) =
            (c.ship_name, c.ship_address1, c.ship_address2, c.ship_city, c.ship_postcode, c.ship_country)
        var byWarehouse: [String: [PickedLine]] = [:]
        let rows = try Row.fetchCursor(query)
        while let row = try rows.next() {
            let picked = PickedLine(
                id: row[id], orderID: row[orderID], warehouse: row[warehouse], allocated: row[allocated],
                line: PickListLine(binLocation: row[bin], sku: row[sku], description: row[description], quantity: row[quantity],
                                   orderRef: row[orderRef], lineNo: row[lineNo], customerRef: row[customerRef],
                                   shipTo: Address(name: row[name], address1: row[address1], address2: row[address2], city: row[city],
                                                   postcode: row[postcode], country: row[country])))
            byWarehouse[picked.warehouse, default: []].append(picked)
        }
        guard !byWarehouse.isEmpty else { return 0 }
        let confirmed = context.engine.config.despatch == .confirmed
        let mover = StageMover(db: db, at: context.now, cycleID: context.cycleID, actor: "rule:export")
        var refs: [(warehouse: String, ref: String)] = []
        for (warehouse, lines) in byWarehouse.sorted(by: { $0.key < $1.key }) {
            let number = try OutboxSequence.next(db, folder: OutboxFolder.pickLists)
            let ref = String(format: "PL-%06d", number)
            refs.append((warehouse, ref))
            let csv = Documents.pickList(ref: ref, warehouse: warehouse, lines: lines.map(\.line))
            _ = try Self.store(db, context, folder: OutboxFolder.pickLists, name: "\(ref)-\(Self.safeName(warehouse)).csv",
                               bytes: csv.bytes, rows: csv.rows)
            if confirmed {
                // The lines stay in picking, holding their stock, until the warehouse confirms what left.
                for line in lines {
                    try mover.moveLine(line.id, orderID: line.orderID, from: .picking, to: .picking, code: nil,
                                       reason: "on pick list \(ref); waits for the despatch confirmation")
                    try db.cachedStatement(sql: "UPDATE order_line SET pick_list_ref = ? WHERE id = ?").execute(arguments: [ref, line.id])
                }
            }
        }
        if !confirmed { try despatch(byWarehouse, refs: refs, db, context, actor: mover.actor) }
        return byWarehouse.count
    }

    /// Despatches every line just put on a pick list, for all warehouses at once: the history and the
    /// lines in one pass over the picking lines each, stock and customers from the rows already read.
    func despatch(_ byWarehouse: [String: [PickedLine]], refs: [(warehouse: String, ref: String)], _ db: Database,
                  _ context: CycleContext, actor: String) throws {
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS pick_ref (warehouse TEXT PRIMARY KEY, ref TEXT NOT NULL); DELETE FROM pick_ref")
        let insertRef = try db.makeStatement(sql: "INSERT INTO pick_ref (warehouse, ref) VALUES (?, ?)")
        for (warehouse, ref) in refs { try insertRef.execute(arguments: [warehouse, ref]) }
        let now = context.now.description
        try db.execute(sql: """
            INSERT INTO stage_move (order_id, line_id, from_stage, to_stage, reason, actor, at, cycle_id)
            SELECT l.order_id, l.id, 'picking', 'despatched', 'on pick list ' || r.ref, ?, ?, ?
            FROM order_line l JOIN pick_ref r ON r.warehouse = l.warehouse
            WHERE l.stage = 'picking' AND l.pick_list_ref IS NULL ORDER BY l.id
            """, arguments: [actor, now, context.cycleID])
        try db.execute(sql: """
            UPDATE order_line SET stage = 'despatched', stage_since = ?, reason_code = NULL, allocated = 0,
                pick_list_ref = (SELECT ref FROM pick_ref WHERE warehouse = order_line.warehouse),
                stage_reason = 'on pick list ' || (SELECT ref FROM pick_ref WHERE warehouse = order_line.warehouse)
            WHERE stage = 'picking' AND pick_list_ref IS NULL
            """, arguments: [now])
        // Stock falls by what left; despatched lines leave their customers' open exposure, so held orders
        // of those customers get a re-check.
        var left: [Allocator.StockKey: Quantity] = [:]
        var customers: Set<String> = []
        for lines in byWarehouse.values {
            for picked in lines {
                let key = Allocator.StockKey(sku: picked.line.sku, warehouse: picked.warehouse)
                left[key] = try (left[key] ?? .zero) + picked.allocated
                customers.insert(picked.line.customerRef)
            }
        }
        let stock = try db.makeStatement(sql: "UPDATE stock SET on_hand = on_hand - ?, allocated = allocated - ? WHERE sku = ? AND warehouse = ?")
        for (key, quantity) in left where quantity != .zero {
            try stock.execute(arguments: [quantity, quantity, key.sku, key.warehouse])
        }
        let customer = try db.makeStatement(sql: "UPDATE customer SET credit_changed = 1 WHERE customer_ref = ? AND credit_changed = 0")
        for ref in customers { try customer.execute(arguments: [ref]) }
    }

    /// Every purchase order not yet written, each to its own file. The orders and their lines are read
    /// with one query each, both in po_ref order, and matched up in that order (a query per order
    /// cost more than the orders' rendering).
    func exportPurchaseOrders(_ db: Database, _ context: CycleContext) throws -> Int {
        let query = try db.makeStatement(sql: """
            SELECT po.po_ref, po.supplier_ref, o.order_ref, o.customer_ref, COALESCE(s.po_format, 'csv') AS po_format, \(Self.shipTo)
            FROM purchase_order po JOIN sales_order o ON o.id = po.order_id
            LEFT JOIN supplier s ON s.supplier_ref = po.supplier_ref LEFT JOIN customer c ON c.customer_ref = o.customer_ref
            WHERE po.outbox_file_id IS NULL ORDER BY po.po_ref
            """)
        let c = ColumnIndex(query)
        let orders = try Row.fetchAll(query)
        guard !orders.isEmpty else { return 0 }
        let lines = try Row.fetchAll(db, sql: """
            SELECT po.po_ref, l.line_no, l.sku, COALESCE(p.description, '') AS description, l.quantity, p.supplier_cost
            FROM purchase_order po INDEXED BY purchase_order_unwritten
            CROSS JOIN order_line l INDEXED BY order_line_po ON l.po_ref = po.po_ref
            LEFT JOIN product p ON p.sku = l.sku
            WHERE po.outbox_file_id IS NULL AND l.stage = 'drop-ship' ORDER BY po.po_ref, l.line_no
            """)
        var next = lines.startIndex
        var customers: Set<String> = []
        for row in orders {
            let poRef: String = row[c.po_ref]
            var poLines: [PurchaseOrder.Line] = []
            while next < lines.endIndex, (lines[next][0] as String) == poRef {
                let line = lines[next]
                poLines.append(PurchaseOrder.Line(
                    lineNo: line[1], sku: line[2], description: line[3], quantity: line[4],
                    unitCost: (line[5] as UnitPrice?).map { context.money.format($0) } ?? ""))
                next += 1
            }
            let po = PurchaseOrder(poRef: poRef, supplierRef: row[c.supplier_ref], orderRef: row[c.order_ref],
                                   shipTo: Self.address(row, c), lines: poLines)
            let xml = (row[c.po_format] as String) == "xml"
            let bytes = xml ? Documents.purchaseOrderXML(po) : Documents.purchaseOrderCSV(po)
            let id = try Self.store(db, context, folder: OutboxFolder.purchaseOrders, name: "\(poRef).\(xml ? "xml" : "csv")",
                                    bytes: bytes, rows: poLines.count)
            try db.cachedStatement(sql: "UPDATE purchase_order SET outbox_file_id = ? WHERE po_ref = ?").execute(arguments: [id, poRef])
            customers.insert(row[c.customer_ref])
        }
        // A written purchase order leaves its customer's open exposure: held orders of those customers get a re-check.
        let customer = try db.makeStatement(sql: "UPDATE customer SET credit_changed = 1 WHERE customer_ref = ? AND credit_changed = 0")
        for ref in customers { try customer.execute(arguments: [ref]) }
        return orders.count
    }

    /// The exceptions raised since the last report, in one report. Exceptions only ever follow the
    /// last reported one (ids grow), so the report is a range of ids after a watermark, recorded
    /// with each report: nothing is written back to the exception rows.
    ///
    /// The steps that raise exceptions by the ten thousand (back orders, credit holds) record the
    /// source file and line with them; only the others are looked up from their order (COALESCE
    /// evaluates a lookup only when the recorded value is missing).
    func exportExceptions(_ db: Database, _ context: CycleContext) throws -> Int {
        let reported = try Int64.fetchOne(db, sql: """
            SELECT last_exception_id FROM exception_report ORDER BY outbox_file_id DESC LIMIT 1
            """) ?? 0
        let ownOrder = "o.order_ref = e.order_ref AND e.kind NOT IN ('rejected-order', 'duplicate-order')"
        let query = try db.makeStatement(sql: """
            SELECT e.id, e.kind, e.order_ref, e.line_no, e.sku, e.reason,
                   COALESCE(e.source_file, (
                       SELECT f.name FROM sales_order o JOIN source_file f ON f.id = o.source_file_id WHERE \(ownOrder)
                   )) AS source_file,
                   COALESCE(e.source_line, (
                       SELECT CASE WHEN e.line_no IS NULL THEN o.source_line ELSE (
                           SELECT l.source_line FROM order_line l WHERE l.order_id = o.id AND l.line_no = e.line_no ORDER BY l.part LIMIT 1)
                       END
                       FROM sales_order o WHERE \(ownOrder)
                   )) AS source_line
            FROM exception e
            WHERE e.id > ? ORDER BY e.id
            """)
        let c = ColumnIndex(query)
        let (id, kind, orderRef, lineNo, sku, reason, sourceFile, sourceLine) =
            (c.id, c.kind, c.order_ref, c.line_no, c.sku, c.reason, c.source_file, c.source_line)
        var csv = CSVWriter(header: Documents.exceptionHeader)
        var last: Int64 = 0
        let rows = try Row.fetchCursor(query, arguments: [reported])
        while let row = try rows.next() {
            csv.append([row[kind], row[orderRef] ?? "", (row[lineNo] as Int?).map(String.init) ?? "", row[sku] ?? "",
                        row[reason], row[sourceFile] ?? "", (row[sourceLine] as Int?).map(String.init) ?? ""])
            last = row[id]
        }
        guard csv.rows > 0 else { return 0 }
        let number = try OutboxSequence.next(db, folder: OutboxFolder.exceptions)
        let file = try Self.store(db, context, folder: OutboxFolder.exceptions, name: String(format: "EX-%06d.csv", number),
                                  bytes: csv.bytes, rows: csv.rows)
        try db.execute(sql: "INSERT INTO exception_report (outbox_file_id, last_exception_id) VALUES (?, ?)", arguments: [file, last])
        return csv.rows
    }
}
