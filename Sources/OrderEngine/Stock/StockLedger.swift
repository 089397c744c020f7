import GRDB
import OrderModel
import OrderStore

/// Every change to stock goes through here (allocation through `LotCursor`), keeping three things true in one transaction:
/// on hand never below allocated, the open lots sum to what is available (on hand − allocated),
/// and each allocation records the lots (receipts, stock counts, opening stock) that funded it.
struct StockLedger {
    let db: Database

    /// Stock arrives (a receipt, or a count above the book): on hand rises and a lot records its source.
    func receive(sku: String, warehouse: String, quantity: Quantity, source: String, at: String) throws {
        guard quantity > .zero else { return }
        try db.cachedStatement(sql: """
            INSERT INTO stock (sku, warehouse, on_hand, gained) VALUES (?, ?, ?, 1)
            ON CONFLICT (sku, warehouse) DO UPDATE SET on_hand = on_hand + excluded.on_hand, gained = 1
            """).execute(arguments: [sku, warehouse, quantity])
        try db.cachedStatement(sql: """
            INSERT INTO stock_lot (sku, warehouse, source, received_at, quantity, remaining) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [sku, warehouse, source, at, quantity, quantity])
    }

    /// Gives back `quantity` (all when nil) of a line's allocation to its lots, youngest lot first;
    /// the stock counts as gained, so back orders are looked at again.
    func release(lineID: Int64, quantity: Quantity? = nil) throws {
        guard let line = try Row.fetchOne(db.cachedStatement(sql: "SELECT sku, warehouse, allocated FROM order_line WHERE id = ?"),
                                          arguments: [lineID]) else { return }
        let allocated: Quantity = line["allocated"]
        var giving = min(quantity ?? allocated, allocated)
        guard giving > .zero else { return }
        let total = giving
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT a.lot_id, a.quantity FROM allocation a JOIN stock_lot l ON l.id = a.lot_id
            WHERE a.line_id = ? ORDER BY l.received_at DESC, l.id DESC
            """), arguments: [lineID]) where giving > .zero {
            let lot: Int64 = row["lot_id"], held: Quantity = row["quantity"]
            let back = min(held, giving)
            try db.cachedStatement(sql: "UPDATE stock_lot SET remaining = remaining + ? WHERE id = ?").execute(arguments: [back, lot])
            if back == held {
                try db.cachedStatement(sql: "DELETE FROM allocation WHERE line_id = ? AND lot_id = ?").execute(arguments: [lineID, lot])
            } else {
                try db.cachedStatement(sql: "UPDATE allocation SET quantity = quantity - ? WHERE line_id = ? AND lot_id = ?")
                    .execute(arguments: [back, lineID, lot])
            }
            giving = try giving - back
        }
        try db.cachedStatement(sql: "UPDATE order_line SET allocated = allocated - ? WHERE id = ?").execute(arguments: [total, lineID])
        try db.cachedStatement(sql: "UPDATE stock SET allocated = allocated - ?, gained = 1 WHERE sku = ? AND warehouse = ?")
            .execute(arguments: [total, line["sku"] as String, line["warehouse"] as String])
    }

    /// Releases everything the given lines hold.
    func release(lineIDs: [Int64]) throws {
        for id in lineIDs { try release(lineID: id) }
    }

    /// Stock leaves the warehouse for a line: on hand and allocated fall together; the funding record stays.
    func despatch(lineID: Int64, quantity: Quantity) throws {
        guard quantity > .zero, let line = try Row.fetchOne(db.cachedStatement(sql: "SELECT sku, warehouse FROM order_line WHERE id = ?"),
                                                        arguments: [lineID]) else { return }
        try db.cachedStatement(sql: "UPDATE order_line SET allocated = allocated - ? WHERE id = ?").execute(arguments: [quantity, lineID])
        try db.cachedStatement(sql: "UPDATE stock SET on_hand = on_hand - ?, allocated = allocated - ? WHERE sku = ? AND warehouse = ?")
            .execute(arguments: [quantity, quantity, line["sku"] as String, line["warehouse"] as String])
    }

    /// A stock count: on hand becomes `onHand`. Allocations above it are undone, youngest order first;
    /// returns the lines undone (the caller moves them back to Back Order).
    func count(sku: String, warehouse: String, onHand: Quantity, source: String, at: String) throws -> [Int64] {
        let current = try Row.fetchOne(db.cachedStatement(sql: "SELECT on_hand, allocated FROM stock WHERE sku = ? AND warehouse = ?"),
                                       arguments: [sku, warehouse])
        let oldOnHand: Quantity = current?["on_hand"] ?? .zero
        var allocated: Quantity = current?["allocated"] ?? .zero
        var undone: [Int64] = []
        if onHand < allocated {
            for row in try Row.fetchAll(db, sql: """
                SELECT l.id, l.allocated FROM order_line l JOIN sales_order o ON o.id = l.order_id
                WHERE l.sku = ? AND l.warehouse = ? AND l.allocated > 0
                ORDER BY o.priority ASC, o.order_date DESC, o.id DESC, l.line_no DESC, l.part DESC
                """, arguments: [sku, warehouse]) where allocated > onHand {
                try release(lineID: row["id"])
                allocated = try allocated - (row["allocated"] as Quantity)
                undone.append(row["id"])
            }
        }
        if onHand > oldOnHand {
            try receive(sku: sku, warehouse: warehouse, quantity: try onHand - oldOnHand, source: source, at: at)
        } else if onHand < oldOnHand {
            // Take the difference out of the open lots, youngest first.
            var removing = try oldOnHand - onHand
            for lot in try Row.fetchAll(db, sql: """
                SELECT id, remaining FROM stock_lot WHERE sku = ? AND warehouse = ? AND remaining > 0 ORDER BY received_at DESC, id DESC
                """, arguments: [sku, warehouse]) where removing > .zero {
                let take = min(removing, lot["remaining"] as Quantity)
                try db.execute(sql: "UPDATE stock_lot SET remaining = remaining - ? WHERE id = ?", arguments: [take, lot["id"] as Int64])
                removing = try removing - take
            }
            try db.execute(sql: "UPDATE stock SET on_hand = ? WHERE sku = ? AND warehouse = ?", arguments: [onHand, sku, warehouse])
        } else if current == nil {
            try db.execute(sql: "INSERT INTO stock (sku, warehouse, on_hand) VALUES (?, ?, 0)", arguments: [sku, warehouse])
        }
        return undone
    }
}

/// The open lots of one sku in one warehouse, read once and consumed in memory, oldest first:
/// allocation of many lines costs a statement per line, not a query per line. `flush()` writes
/// the lots' new remaining quantities.
final class LotCursor {
    struct Lot {
        var id: Int64
        var source: String
        var remaining: Quantity
        var touched = false
    }
    private var lots: [Lot]
    private var index = 0
    /// The quantity taken through this cursor so far: what its stock's `allocated` rises by.
    private(set) var taken: Quantity = .zero
    let sku: String, warehouse: String

    init(_ db: Database, sku: String, warehouse: String) throws {
        self.sku = sku
        self.warehouse = warehouse
        lots = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, source, remaining FROM stock_lot WHERE sku = ? AND warehouse = ? AND remaining > 0 ORDER BY received_at, id
            """), arguments: [sku, warehouse]).map { Lot(id: $0[0], source: $0[1], remaining: $0[2]) }
    }

    /// The funding rows (which lot funds which line) of one allocation run, shared by its cursors and
    /// written together at the end in line order: appends to the table's key, where the run's own
    /// order (sku by sku) would insert all over it.
    final class Funding {
        private var rows: [(line: Int64, lot: Int64, quantity: Quantity)] = []

        func record(line: Int64, lot: Int64, quantity: Quantity) { rows.append((line, lot, quantity)) }

        func write(_ db: Database) throws {
            let insert = try BulkStatement(db, sql: """
                INSERT INTO allocation (line_id, lot_id, quantity) VALUES (?, ?, ?)
                ON CONFLICT (line_id, lot_id) DO UPDATE SET quantity = quantity + excluded.quantity
                """)
            for row in rows.sorted(by: { ($0.line, $0.lot) < ($1.line, $1.lot) }) {
                insert.bind(row.line, at: 1); insert.bind(row.lot, at: 2); insert.bind(row.quantity.thousandths, at: 3)
                try insert.execute()
            }
            rows = []
        }
    }

    /// Takes `quantity` for a line, recording the funding rows in `funding`; returns the sources used
    /// (`R1 ×5, R2 ×3`).
    func take(_ quantity: Quantity, lineID: Int64, funding: Funding, _ db: Database) throws -> String {
        var needed = quantity
        var sources = ""
        taken = try taken + quantity
        while needed > .zero, index < lots.count {
            let take = min(needed, lots[index].remaining)
            lots[index].remaining = try lots[index].remaining - take
            lots[index].touched = true
            funding.record(line: lineID, lot: lots[index].id, quantity: take)
            if !sources.isEmpty { sources += ", " }
            sources += "\(lots[index].source) ×\(take)"
            needed = try needed - take
            if lots[index].remaining == .zero { index += 1 }
        }
        if needed > .zero {
            // Stock counted or moved before lots were kept has no lot: record it as opening stock.
            try db.cachedStatement(sql: """
                INSERT INTO stock_lot (sku, warehouse, source, received_at, quantity, remaining) VALUES (?, ?, 'opening stock', '1970-01-01T00:00:00Z', ?, 0)
                """).execute(arguments: [sku, warehouse, needed])
            funding.record(line: lineID, lot: db.lastInsertedRowID, quantity: needed)
            if !sources.isEmpty { sources += ", " }
            sources += "opening stock ×\(needed)"
        }
        return sources
    }

    func flush(_ db: Database) throws {
        let update = try db.cachedStatement(sql: "UPDATE stock_lot SET remaining = ? WHERE id = ?")
        for lot in lots where lot.touched { try update.execute(arguments: [lot.remaining, lot.id]) }
    }
}
