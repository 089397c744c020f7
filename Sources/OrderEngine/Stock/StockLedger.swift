import OrderModel
import OrderStore

/// Every change to stock goes through here (allocation through `LotCursor`), keeping three things true in one transaction:
/// on hand never below allocated, the open lots sum to what is available (on hand − allocated),
/// and each allocation records the lots (receipts, stock counts, opening stock) that funded it.
///
/// The ledger decides (how much goes back, to which lots, which allocations a count undoes); the store's
/// stock operations write each part.
struct StockLedger {
    let tx: StoreTransaction

    init(_ tx: StoreTransaction) { self.tx = tx }

    /// Transitional, for callers still holding a GRDB connection.
    init(db: StoreTransaction.TransitionalConnection) { self.init(StoreTransaction(db)) }

    /// Stock arrives (a receipt, or a count above the book): on hand rises and a lot records its source.
    func receive(sku: String, warehouse: String, quantity: Quantity, source: String, at: String) throws {
        guard quantity > .zero else { return }
        try tx.receiveStock(at: StockPlace(sku: sku, warehouse: warehouse), quantity: quantity, source: source, receivedAt: at)
    }

    /// Gives back `quantity` (all when nil) of a line's allocation to its lots, youngest lot first;
    /// the stock counts as gained, so back orders are looked at again.
    func release(lineID: Int64, quantity: Quantity? = nil) throws {
        guard let held = try tx.allocationHeld(byLine: lineID) else { return }
        let allocated = held.allocated
        var giving = min(quantity ?? allocated, allocated)
        guard giving > .zero, let place = held.place else { return }
        let total = giving
        for funding in try tx.fundingOfLine(lineID) where giving > .zero {
            let back = min(funding.quantity, giving)
            try tx.returnToLot(funding, quantity: back)
            giving = try giving - back
        }
        try tx.releaseAllocation(total, ofLine: lineID, at: place)
    }

    /// Releases everything the given lines hold.
    func release(lineIDs: [Int64]) throws {
        for id in lineIDs { try release(lineID: id) }
    }

    /// Stock leaves the warehouse for a line: on hand and allocated fall together; the funding record stays.
    func despatch(lineID: Int64, quantity: Quantity) throws {
        guard quantity > .zero, let place = try tx.stockPlace(ofLine: lineID) else { return }
        try tx.despatchStock(quantity, forLine: lineID, at: place)
    }

    /// A stock count: on hand becomes `onHand`. Allocations above it are undone, youngest order first;
    /// returns the lines undone (the caller moves them back to Back Order).
    func count(sku: String, warehouse: String, onHand: Quantity, source: String, at: String) throws -> [Int64] {
        let place = StockPlace(sku: sku, warehouse: warehouse)
        let current = try tx.stock(at: place)
        let oldOnHand = current?.onHand ?? .zero
        var allocated = current?.allocated ?? .zero
        var undone: [Int64] = []
        if onHand < allocated {
            for line in try tx.linesHoldingStock(at: place) where allocated > onHand {
                try release(lineID: line.lineID)
                allocated = try allocated - line.allocated
                undone.append(line.lineID)
            }
        }
        if onHand > oldOnHand {
            try receive(sku: sku, warehouse: warehouse, quantity: try onHand - oldOnHand, source: source, at: at)
        } else if onHand < oldOnHand {
            // Take the difference out of the open lots, youngest first.
            var removing = try oldOnHand - onHand
            for lot in try tx.openLotsYoungestFirst(at: place) where removing > .zero {
                guard let id = lot.id else { continue }
                let take = min(removing, lot.remaining)
                try tx.reduceLot(id, by: take)
                removing = try removing - take
            }
            try tx.setOnHand(onHand, at: place)
        } else if current == nil {
            try tx.recordEmptyStock(at: place)
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
    let place: StockPlace

    init(_ tx: StoreTransaction, at place: StockPlace) throws {
        self.place = place
        lots = try tx.openLotsOldestFirst(at: place).compactMap { lot in
            lot.id.map { Lot(id: $0, source: lot.source, remaining: lot.remaining) }
        }
    }

    /// The funding rows (which lot funds which line) of one allocation run, shared by its cursors and
    /// written together at the end (the store writes them in line order).
    final class Funding {
        private var rows: [AllocationRecord] = []

        func record(line: Int64, lot: Int64, quantity: Quantity) { rows.append(AllocationRecord(lineID: line, lotID: lot, quantity: quantity)) }

        func write(_ tx: StoreTransaction) throws {
            try tx.recordFunding(rows)
            rows = []
        }
    }

    /// Takes `quantity` for a line, recording the funding rows in `funding`; returns the sources used
    /// (`R1 ×5, R2 ×3`).
    func take(_ quantity: Quantity, lineID: Int64, funding: Funding, _ tx: StoreTransaction) throws -> String {
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
            let lot = try tx.recordOpeningStockLot(at: place, quantity: needed)
            funding.record(line: lineID, lot: lot, quantity: needed)
            if !sources.isEmpty { sources += ", " }
            sources += "\(StockLotRecord.openingStock) ×\(needed)"
        }
        return sources
    }

    func flush(_ tx: StoreTransaction) throws {
        try tx.setRemaining(of: lots.filter(\.touched).map { ($0.id, $0.remaining) })
    }
}
