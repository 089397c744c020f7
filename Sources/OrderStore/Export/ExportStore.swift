import GRDB
import OrderModel

/// What the export step reads and writes: the lines to pick and their despatch, the purchase orders to
/// write, the exceptions to report.
extension StoreTransaction {
    /// The order's ship-to; a blank name is the customer's name, and a blank address (every address
    /// field blank) is the customer's address, so an order never mixes two addresses.
    private static let shipTo = """
        CASE WHEN o.ship_name <> '' THEN o.ship_name ELSE COALESCE(c.name, '') END AS ship_name,
        CASE WHEN \(ownAddress) THEN o.ship_address1 ELSE COALESCE(c.address1, '') END AS ship_address1,
        CASE WHEN \(ownAddress) THEN o.ship_address2 ELSE COALESCE(c.address2, '') END AS ship_address2,
        CASE WHEN \(ownAddress) THEN o.ship_city ELSE COALESCE(c.city, '') END AS ship_city,
        CASE WHEN \(ownAddress) THEN o.ship_postcode ELSE COALESCE(c.postcode, '') END AS ship_postcode,
        CASE WHEN \(ownAddress) THEN o.ship_country ELSE COALESCE(c.country, '') END AS ship_country
        """

    /// Whether the order gives an address of its own. Compared field by field (the columns are NOT NULL):
    /// a concatenation of the five fields, once per output column, cost five new strings per row.
    private static let ownAddress = """
        (o.ship_address1 <> '' OR o.ship_address2 <> '' OR o.ship_city <> '' OR o.ship_postcode <> '' OR o.ship_country <> '')
        """

    private static func address(_ row: Row, _ c: ColumnIndex) -> DeliveryAddress {
        DeliveryAddress(name: row[c.ship_name], address1: row[c.ship_address1], address2: row[c.ship_address2],
                        city: row[c.ship_city], postcode: row[c.ship_postcode], country: row[c.ship_country])
    }

    /// The lines in Picking not yet on a pick list, handed to `body` one by one in pick-list order: by
    /// warehouse, then bin location, sku, order and line. SQLite sorts them (in its temporary files), so a
    /// day's lines go onto their pick lists without ever being held in memory together.
    public func forEachLineToPick(_ body: (LineToPick) throws -> Void) throws {
        let query = try db.makeStatement(sql: """
            SELECT l.id, l.order_id, l.warehouse, COALESCE(p.bin_location, '') AS bin_location, l.sku,
                   COALESCE(p.description, '') AS description, l.quantity, l.allocated, o.order_ref, l.line_no, o.customer_ref,
                   \(Self.shipTo)
            FROM order_line l JOIN sales_order o ON o.id = l.order_id
            LEFT JOIN product p ON p.sku = l.sku LEFT JOIN customer c ON c.customer_ref = o.customer_ref
            WHERE l.stage = \(Stage.picking.sql) AND l.pick_list_ref IS NULL
            ORDER BY l.warehouse, bin_location, l.sku, o.order_ref, l.line_no
            """)
        // Read straight into values, by column position: a pick list can hold a whole day's lines.
        let c = ColumnIndex(query)
        let (id, orderID, warehouse, bin, sku, description, quantity, allocated, orderRef, lineNo, customerRef) =
            (c.id, c.order_id, c.warehouse, c.bin_location, c.sku, c.description, c.quantity, c.allocated, c.order_ref, c.line_no,
             c.customer_ref)
        let (name, address1, address2, city, postcode, country) =
            (c.ship_name, c.ship_address1, c.ship_address2, c.ship_city, c.ship_postcode, c.ship_country)
        let rows = try Row.fetchCursor(query)
        while let row = try rows.next() {
            try body(LineToPick(
                lineID: row[id], orderID: row[orderID], warehouse: row[warehouse], binLocation: row[bin], sku: row[sku],
                description: row[description], quantity: row[quantity], allocated: row[allocated], orderRef: row[orderRef],
                lineNo: row[lineNo], customerRef: row[customerRef],
                shipTo: DeliveryAddress(name: row[name], address1: row[address1], address2: row[address2], city: row[city],
                                        postcode: row[postcode], country: row[country])))
        }
    }

    /// Records that a line is on pick list `ref` (it stays in Picking until the despatch is confirmed).
    public func markOnPickList(_ lineID: Int64, ref: String) throws {
        try db.cachedStatement(sql: "UPDATE order_line SET pick_list_ref = ? WHERE id = ?").execute(arguments: [ref, lineID])
    }

    /// Despatches every line in Picking not yet on a pick list, each on its warehouse's pick list of
    /// `pickLists`: the history and the lines in one set-based statement each, history in line order. Lines
    /// of a warehouse without a pick list here (one whose output mapping could not write it) stay in Picking.
    public func despatchLinesToPick(onto pickLists: [(warehouse: String, ref: String)], actor: Actor, at: Timestamp, cycleID: Int64) throws {
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS pick_ref (warehouse TEXT PRIMARY KEY, ref TEXT NOT NULL); DELETE FROM pick_ref")
        let insertRef = try db.makeStatement(sql: "INSERT INTO pick_ref (warehouse, ref) VALUES (?, ?)")
        for (warehouse, ref) in pickLists { try insertRef.execute(arguments: [warehouse, ref]) }
        let now = at.description
        try db.execute(sql: """
            INSERT INTO stage_move (order_id, line_id, from_stage, to_stage, reason, actor, at, cycle_id)
            SELECT l.order_id, l.id, \(Stage.picking.sql), \(Stage.despatched.sql), 'on pick list ' || r.ref, ?, ?, ?
            FROM order_line l JOIN pick_ref r ON r.warehouse = l.warehouse
            WHERE l.stage = \(Stage.picking.sql) AND l.pick_list_ref IS NULL ORDER BY l.id
            """, arguments: [actor.description, now, cycleID])
        try db.execute(sql: """
            UPDATE order_line SET stage = \(Stage.despatched.sql), stage_since = ?, reason_code = NULL, allocated = 0,
                pick_list_ref = (SELECT ref FROM pick_ref WHERE warehouse = order_line.warehouse),
                stage_reason = 'on pick list ' || (SELECT ref FROM pick_ref WHERE warehouse = order_line.warehouse)
            WHERE stage = \(Stage.picking.sql) AND pick_list_ref IS NULL AND warehouse IN (SELECT warehouse FROM pick_ref)
            """, arguments: [now])
    }

    /// Stock leaves the warehouse: on hand and allocated fall together by each quantity despatched.
    public func takeDespatchedStock(_ left: [(sku: String, warehouse: String, quantity: Quantity)]) throws {
        let stock = try db.makeStatement(sql: "UPDATE stock SET on_hand = on_hand - ?, allocated = allocated - ? WHERE sku = ? AND warehouse = ?")
        for (sku, warehouse, quantity) in left {
            try stock.execute(arguments: [quantity, quantity, sku, warehouse])
        }
    }

    /// The customers' open exposure changed (lines despatched, purchase orders written): their held
    /// orders get a re-check in the next credit check.
    public func flagCreditPositionChanged<Refs: Sequence<String>>(of customers: Refs) throws {
        let customer = try db.makeStatement(sql: "UPDATE customer SET credit_changed = 1 WHERE customer_ref = ? AND credit_changed = 0")
        for ref in customers { try customer.execute(arguments: [ref]) }
    }

    /// Every purchase order not yet written, in po_ref order, with its drop-ship lines. The orders and
    /// their lines are read with one query each, both in po_ref order, and matched up in that order (a
    /// query per order cost more than the orders' rendering).
    public func purchaseOrdersToWrite() throws -> [PurchaseOrderToWrite] {
        let query = try db.makeStatement(sql: """
            SELECT po.po_ref, po.supplier_ref, o.order_ref, o.customer_ref, COALESCE(s.po_format, 'csv') AS po_format, \(Self.shipTo)
            FROM purchase_order po JOIN sales_order o ON o.id = po.order_id
            LEFT JOIN supplier s ON s.supplier_ref = po.supplier_ref LEFT JOIN customer c ON c.customer_ref = o.customer_ref
            WHERE po.outbox_file_id IS NULL ORDER BY po.po_ref
            """)
        let c = ColumnIndex(query)
        let orders = try Row.fetchAll(query)
        guard !orders.isEmpty else { return [] }
        let lines = try Row.fetchAll(db, sql: """
            SELECT po.po_ref, l.line_no, l.sku, COALESCE(p.description, '') AS description, l.quantity, p.supplier_cost
            FROM purchase_order po INDEXED BY purchase_order_unwritten
            CROSS JOIN order_line l INDEXED BY order_line_po ON l.po_ref = po.po_ref
            LEFT JOIN product p ON p.sku = l.sku
            WHERE po.outbox_file_id IS NULL AND l.stage = \(Stage.dropShip.sql) ORDER BY po.po_ref, l.line_no
            """)
        var next = lines.startIndex
        return orders.map { row in
            let poRef: String = row[c.po_ref]
            var poLines: [PurchaseOrderToWrite.Line] = []
            while next < lines.endIndex, (lines[next][0] as String) == poRef {
                let line = lines[next]
                poLines.append(PurchaseOrderToWrite.Line(lineNo: line[1], sku: line[2], description: line[3], quantity: line[4],
                                                         supplierCost: line[5]))
                next += 1
            }
            return PurchaseOrderToWrite(poRef: poRef, supplierRef: row[c.supplier_ref], orderRef: row[c.order_ref],
                                        customerRef: row[c.customer_ref], format: row[c.po_format], shipTo: Self.address(row, c),
                                        lines: poLines)
        }
    }

    /// Records that purchase order `poRef` was written to outbox file `file`.
    public func markPurchaseOrderWritten(_ poRef: String, file: Int64) throws {
        try db.cachedStatement(sql: "UPDATE purchase_order SET outbox_file_id = ? WHERE po_ref = ?").execute(arguments: [file, poRef])
    }

    /// The exceptions raised since the last report, in order, handed to `body` one by one.
    ///
    /// Exceptions only ever follow the last reported one (ids grow), so the report is a range of ids after
    /// a watermark, recorded with each report (`recordExceptionReport`): nothing is written back to the
    /// exception rows. The steps that raise exceptions by the ten thousand (back orders, credit holds)
    /// record the source file and line with them; only the others are looked up from their order
    /// (COALESCE evaluates a lookup only when the recorded value is missing).
    public func forEachExceptionToReport(_ body: (ExceptionToReport) throws -> Void) throws {
        let reported = try Int64.fetchOne(db, sql: """
            SELECT last_exception_id FROM exception_report ORDER BY outbox_file_id DESC LIMIT 1
            """) ?? 0
        try forEachException(after: reported, through: .max, body)
    }

    /// The exceptions with ids after `first` up to `last`, in order, as a report has them.
    func forEachException(after first: Int64, through last: Int64, _ body: (ExceptionToReport) throws -> Void) throws {
        let ownOrder = "o.order_ref = e.order_ref AND e.kind NOT IN (\(ExceptionKind.ordersNotStored.map { "'\($0)'" }.sorted().joined(separator: ", ")))"
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
            WHERE e.id > ? AND e.id <= ? ORDER BY e.id
            """)
        let c = ColumnIndex(query)
        let (id, kind, orderRef, lineNo, sku, reason, sourceFile, sourceLine) =
            (c.id, c.kind, c.order_ref, c.line_no, c.sku, c.reason, c.source_file, c.source_line)
        let rows = try Row.fetchCursor(query, arguments: [first, last])
        while let row = try rows.next() {
            try body(ExceptionToReport(id: row[id], note: ExceptionNote(
                kind: ExceptionKind(row[kind] as String), orderRef: row[orderRef], lineNo: row[lineNo], sku: row[sku],
                reason: row[reason], sourceFile: row[sourceFile], sourceLine: row[sourceLine])))
        }
    }

    /// Records an exception report, written to outbox file `file`, as covering every exception up to `lastExceptionID`.
    public func recordExceptionReport(file: Int64, lastExceptionID: Int64) throws {
        try db.execute(sql: "INSERT INTO exception_report (outbox_file_id, last_exception_id) VALUES (?, ?)", arguments: [file, lastExceptionID])
    }
}
