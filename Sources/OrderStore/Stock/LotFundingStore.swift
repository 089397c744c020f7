import GRDB
import OrderModel

/// The writes of one allocation run against the lots: which lots it read, what they have left, which
/// lots fund which line, and how much more each place has allocated.
///
/// The allocate step reads a place's open lots once and consumes them in memory (`LotCursor`); these
/// operations load them and write the outcome back, a statement per lot or funding row rather than a
/// query per line.
extension StoreTransaction {
    /// The open lots of a place, oldest first: the order allocation takes from them.
    public func openLotsOldestFirst(at place: StockPlace) throws -> [StockLotRecord] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, source, received_at, quantity, remaining FROM stock_lot
            WHERE sku = ? AND warehouse = ? AND remaining > 0 ORDER BY received_at, id
            """), arguments: [place.sku, place.warehouse]).map {
            StockLotRecord(id: $0[0], sku: place.sku, warehouse: place.warehouse, source: $0[1], receivedAt: $0[2], quantity: $0[3], remaining: $0[4])
        }
    }

    /// Records stock counted or moved before lots were kept, allocated at once: a lot of `quantity`
    /// with nothing remaining. Returns its id, for the funding row.
    public func recordOpeningStockLot(at place: StockPlace, quantity: Quantity) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO stock_lot (sku, warehouse, source, received_at, quantity, remaining) VALUES (?, ?, ?, ?, ?, 0)
            """).execute(arguments: [place.sku, place.warehouse, StockLotRecord.openingStock, StockLotRecord.openingStockReceivedAt, quantity])
        return db.lastInsertedRowID
    }

    /// Writes what the given lots have left.
    public func setRemaining(of lots: [(id: Int64, remaining: Quantity)]) throws {
        let update = try db.cachedStatement(sql: "UPDATE stock_lot SET remaining = ? WHERE id = ?")
        for lot in lots { try update.execute(arguments: [lot.remaining, lot.id]) }
    }

    /// Records which lots fund which lines; a line funded again from the same lot adds to its row.
    ///
    /// Written in (line, lot) order: appends to the table's key, where a run's own order (sku by sku)
    /// would insert all over it.
    public func recordFunding(_ rows: [AllocationRecord]) throws {
        guard !rows.isEmpty else { return }
        let insert = try BulkStatement(db, sql: """
            INSERT INTO allocation (line_id, lot_id, quantity) VALUES (?, ?, ?)
            ON CONFLICT (line_id, lot_id) DO UPDATE SET quantity = quantity + excluded.quantity
            """)
        for row in rows.sorted(by: { ($0.lineID, $0.lotID) < ($1.lineID, $1.lotID) }) {
            insert.bind(row.lineID, at: 1); insert.bind(row.lotID, at: 2); insert.bind(row.quantity.thousandths, at: 3)
            try insert.execute()
        }
    }

    /// A place has `quantity` more allocated (the lines' own allocations are written with their moves).
    public func raiseAllocated(by quantity: Quantity, at place: StockPlace) throws {
        try db.cachedStatement(sql: "UPDATE stock SET allocated = allocated + ? WHERE sku = ? AND warehouse = ?")
            .execute(arguments: [quantity, place.sku, place.warehouse])
    }
}
