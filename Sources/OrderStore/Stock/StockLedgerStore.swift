import GRDB
import OrderModel

/// The stock ledger's reads and writes: on hand, allocated, the lots and which lots fund which line.
///
/// The engine's `StockLedger` decides (how much to give back, which lines a count undoes, which lots
/// a count empties); these operations each keep the tables consistent for the part they write, inside
/// the caller's transaction, so that the three invariants (on hand ≥ allocated, open lots = available,
/// every allocation funded) hold when the transaction commits.
extension StoreTransaction {
    /// Stock arrives: on hand rises (the place is created if new), the place counts as gained, and a lot
    /// records the arrival.
    public func receiveStock(at place: StockPlace, quantity: Quantity, source: String, receivedAt: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO stock (sku, warehouse, on_hand, gained) VALUES (?, ?, ?, 1)
            ON CONFLICT (sku, warehouse) DO UPDATE SET on_hand = on_hand + excluded.on_hand, gained = 1
            """).execute(arguments: [place.sku, place.warehouse, quantity])
        try db.cachedStatement(sql: """
            INSERT INTO stock_lot (sku, warehouse, source, received_at, quantity, remaining) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [place.sku, place.warehouse, source, receivedAt, quantity, quantity])
    }

    /// The stock of one place; nil when none was ever recorded there.
    public func stock(at place: StockPlace) throws -> StockRecord? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT on_hand, allocated, gained FROM stock WHERE sku = ? AND warehouse = ?"),
                                         arguments: [place.sku, place.warehouse]) else { return nil }
        return StockRecord(sku: place.sku, warehouse: place.warehouse, onHand: row[0], allocated: row[1], gained: row[2])
    }

    /// Records an empty place (a count of zero where nothing was ever kept), so that it is known.
    public func recordEmptyStock(at place: StockPlace) throws {
        try db.execute(sql: "INSERT INTO stock (sku, warehouse, on_hand) VALUES (?, ?, 0)", arguments: [place.sku, place.warehouse])
    }

    /// Sets on hand (a count below the book, after the lots were reduced to match).
    public func setOnHand(_ onHand: Quantity, at place: StockPlace) throws {
        try db.execute(sql: "UPDATE stock SET on_hand = ? WHERE sku = ? AND warehouse = ?", arguments: [onHand, place.sku, place.warehouse])
    }

    /// How much stock a line holds and where it is kept (nil while the line has no warehouse: it holds
    /// none); nil for an unknown line.
    public func allocationHeld(byLine lineID: Int64) throws -> (place: StockPlace?, allocated: Quantity)? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT sku, warehouse, allocated FROM order_line WHERE id = ?"),
                                         arguments: [lineID]) else { return nil }
        let warehouse: String? = row[1]
        return (warehouse.map { StockPlace(sku: row[0], warehouse: $0) }, row[2])
    }

    /// The lots funding a line, youngest lot first: the order in which stock given back returns to them.
    public func fundingOfLine(_ lineID: Int64) throws -> [AllocationRecord] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT a.lot_id, a.quantity FROM allocation a JOIN stock_lot l ON l.id = a.lot_id
            WHERE a.line_id = ? ORDER BY l.received_at DESC, l.id DESC
            """), arguments: [lineID]).map { AllocationRecord(lineID: lineID, lotID: $0[0], quantity: $0[1]) }
    }

    /// Gives `quantity` of a funding row back to its lot; the row goes when nothing of it is left.
    public func returnToLot(_ funding: AllocationRecord, quantity: Quantity) throws {
        try db.cachedStatement(sql: "UPDATE stock_lot SET remaining = remaining + ? WHERE id = ?").execute(arguments: [quantity, funding.lotID])
        if quantity == funding.quantity {
            try db.cachedStatement(sql: "DELETE FROM allocation WHERE line_id = ? AND lot_id = ?").execute(arguments: [funding.lineID, funding.lotID])
        } else {
            try db.cachedStatement(sql: "UPDATE allocation SET quantity = quantity - ? WHERE line_id = ? AND lot_id = ?")
                .execute(arguments: [quantity, funding.lineID, funding.lotID])
        }
    }

    /// A line gives back `quantity` of its allocation: the line and its place hold that much less, and the
    /// place counts as gained, so that back orders are looked at again.
    public func releaseAllocation(_ quantity: Quantity, ofLine lineID: Int64, at place: StockPlace) throws {
        try db.cachedStatement(sql: "UPDATE order_line SET allocated = allocated - ? WHERE id = ?").execute(arguments: [quantity, lineID])
        try db.cachedStatement(sql: "UPDATE stock SET allocated = allocated - ?, gained = 1 WHERE sku = ? AND warehouse = ?")
            .execute(arguments: [quantity, place.sku, place.warehouse])
    }

    /// Where a line's stock is kept; nil for an unknown line or one without a warehouse (it holds no stock).
    public func stockPlace(ofLine lineID: Int64) throws -> StockPlace? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT sku, warehouse FROM order_line WHERE id = ?"),
                                         arguments: [lineID]), let warehouse = row[1] as String? else { return nil }
        return StockPlace(sku: row[0], warehouse: warehouse)
    }

    /// Stock leaves the warehouse for a line: the line's allocation, its place's on hand and allocated fall
    /// together (the funding rows stay, as the record of where the despatched stock came from).
    public func despatchStock(_ quantity: Quantity, forLine lineID: Int64, at place: StockPlace) throws {
        try db.cachedStatement(sql: "UPDATE order_line SET allocated = allocated - ? WHERE id = ?").execute(arguments: [quantity, lineID])
        try db.cachedStatement(sql: "UPDATE stock SET on_hand = on_hand - ?, allocated = allocated - ? WHERE sku = ? AND warehouse = ?")
            .execute(arguments: [quantity, quantity, place.sku, place.warehouse])
    }

    /// The lines holding stock of a place, youngest in the queue first (lowest priority, newest order,
    /// last line): the order in which a count below the book undoes allocations.
    public func linesHoldingStock(at place: StockPlace) throws -> [(lineID: Int64, allocated: Quantity)] {
        try Row.fetchAll(db, sql: """
            SELECT l.id, l.allocated FROM order_line l JOIN sales_order o ON o.id = l.order_id
            WHERE l.sku = ? AND l.warehouse = ? AND l.allocated > 0
            ORDER BY o.priority ASC, o.order_date DESC, o.id DESC, l.line_no DESC, l.part DESC
            """, arguments: [place.sku, place.warehouse]).map { ($0[0], $0[1]) }
    }

    /// The open lots of a place, youngest first: the order in which a count below the book empties them.
    public func openLotsYoungestFirst(at place: StockPlace) throws -> [StockLotRecord] {
        try StockLotRecord
            .filter(StockLotRecord.Columns.sku == place.sku && StockLotRecord.Columns.warehouse == place.warehouse
                    && StockLotRecord.Columns.remaining > 0)
            .order(StockLotRecord.Columns.receivedAt.desc, StockLotRecord.Columns.id.desc)
            .fetchAll(db)
    }

    /// Takes `quantity` out of an open lot (stock counted away).
    public func reduceLot(_ lotID: Int64, by quantity: Quantity) throws {
        try db.execute(sql: "UPDATE stock_lot SET remaining = remaining - ? WHERE id = ?", arguments: [quantity, lotID])
    }
}
