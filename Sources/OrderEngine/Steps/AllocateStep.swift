import OrderAllocation
import OrderModel
import OrderStore

/// Step: allocate stock to new and back-ordered lines: priority first, then oldest order first.
///
/// Incremental by default. When every order ships `part` (the usual case) the lines of one sku
/// never compete with another sku's, so allocation runs sku by sku, over only the skus that
/// matter this cycle — stock gained (a receipt, a count, a cancellation, a short pick), new lines,
/// changed orders — reading each sku's back orders in queue order from an index and stopping when
/// its stock is gone: the cost follows what changed, not the size of the back-order book. With
/// other policies in play, the orders concerned are allocated together in one queue. Either way
/// the outcome equals a full re-run (`allocation_mode: full`), which the tests check on random
/// workloads.
///
/// The step holds no SQL: the store loads the working set as values (free stock, the places that
/// matter, candidate lines in queue order — a place's back orders streamed), the pure allocator
/// (`Allocator`, `Allocator.StockPool`) decides each line, and the decisions are persisted through
/// `StageMover.Batch` and the store's allocation and lot operations, in the step's one transaction.
public struct AllocateStep: CycleStep {
    public let name = "allocate"
    /// Roll everything back and only report what would happen (`orderflow allocate --dry-run`).
    public var dryRun = false
    public init(dryRun: Bool = false) { self.dryRun = dryRun }

    /// One line's outcome, for the preview.
    public struct Preview: Sendable, Codable, Hashable {
        public var orderRef: String
        public var lineNo: Int
        public var sku: String
        public var quantity: Quantity
        public var from: String
        public var outcome: String
        enum CodingKeys: String, CodingKey { case orderRef = "order_ref", lineNo = "line_no", sku, quantity, from, outcome }
    }

    /// A line waiting for stock, as the store reads it.
    typealias Line = AllocationCandidate

    public func run(_ context: CycleContext) throws -> StepReport {
        let (report, _) = try allocate(context)
        return report
    }

    /// Allocates (or previews); returns the counts and, for a dry run, each line's outcome.
    public func allocate(_ context: CycleContext) throws -> (StepReport, [Preview]) {
        if dryRun { return try context.store.rehearse { tx in try allocate(tx, context) } }
        return try context.store.write { tx in try allocate(tx, context) }
    }

    /// Transitional, for a caller still holding a GRDB connection (the engine's `allocate(dryRun:)`).
    func allocate(_ db: StoreTransaction.TransitionalConnection, _ context: CycleContext) throws -> (StepReport, [Preview]) {
        try allocate(StoreTransaction(db), context)
    }

    /// Loads the working set, decides with the pure allocator, persists the decisions: one transaction.
    func allocate(_ tx: StoreTransaction, _ context: CycleContext) throws -> (StepReport, [Preview]) {
        let config = context.engine.config
        let decided: [(Line, Allocator.Outcome)]
        if config.allocationMode == .incremental, try everyOrderShipsPart(tx, config) {
            decided = try bySku(tx, splitLines: config.splitLines)
        } else {
            var available: [Allocator.StockKey: Quantity] = [:]
            for (place, free) in try tx.freeStock() { available[place.key] = free }
            decided = try inOneQueue(tx, context, available: available)
        }
        let (report, preview) = try apply(decided, tx, context)
        try tx.clearAllocationTriggers()
        return (report, preview)
    }

    /// Whether the sku-by-sku path applies: no customer or order ships other than `part`.
    func everyOrderShipsPart(_ tx: StoreTransaction, _ config: EngineConfig) throws -> Bool {
        guard case .part = config.shipPolicy else { return false }
        return try !tx.anyShipPolicyOtherThanPart()
    }

    /// Sku by sku: each sku's new lines and back orders in queue order, back orders read from the queue
    /// index only while the sku has stock left.
    ///
    /// Free stock is read for the places looked at only (the whole stock table is the size of the catalogue,
    /// read for nothing when one receipt came in).
    func bySku(_ tx: StoreTransaction, splitLines: Bool) throws -> [(Line, Allocator.Outcome)] {
        var keys: Set<Allocator.StockKey> = []
        for place in try tx.placesThatGainedStock() { keys.insert(place.key) }
        for place in try tx.placesOfChangedOrders() { keys.insert(place.key) }
        // New lines in (sku, warehouse, queue) order (read from the stage index in order order, which keeps
        // the row reads sequential, then sorted); each (sku, warehouse) is then a range of one array.
        var newLines: [Line] = []
        var ranges: [Allocator.StockKey: Range<Int>] = [:]
        let rows = try tx.newLinesByPlace()
        // A range is recorded when its run of rows ends: one hash per (sku, warehouse), not per line.
        var start = 0
        func closeRun() {
            guard start < newLines.count else { return }
            let key = newLines[start].key
            ranges[key] = start..<newLines.count
            keys.insert(key)
            start = newLines.count
        }
        while let line = try rows.next() {
            if start < newLines.count, newLines[start].sku != line.sku || newLines[start].warehouse != line.warehouse { closeRun() }
            newLines.append(line)
        }
        closeRun()
        var available: [Allocator.StockKey: Quantity] = [:]
        for (place, free) in try tx.freeStock(at: keys.map { StockPlace(sku: $0.sku, warehouse: $0.warehouse) }) {
            available[place.key] = free
        }
        var decided: [(Line, Allocator.Outcome)] = []
        let backOrders = try tx.backOrderQueue()
        for key in keys.sorted(by: { ($0.sku, $0.warehouse) < ($1.sku, $1.warehouse) }) {
            var pool = Allocator.StockPool(free: available[key] ?? .zero, splitLines: splitLines)
            let fresh = ranges[key].map { newLines[$0] } ?? []
            var next = fresh.startIndex
            func decide(_ line: Line) throws {
                decided.append((line, try pool.serve(line.quantity)))
            }
            if pool.free > .zero {
                let cursor = try backOrders.lines(at: key.place)
                while pool.free > .zero, let line = try cursor.next() {
                    while next < fresh.endIndex, fresh[next].queueKey < line.queueKey {
                        try decide(fresh[next])
                        next += 1
                    }
                    try decide(line)
                }
            }
            // New lines left over wait in back order (or take what stock remains).
            while next < fresh.endIndex {
                try decide(fresh[next])
                next += 1
            }
        }
        return decided
    }

    /// All candidate orders in one queue, for orders under `complete` or `part-after:N` (and in full mode).
    func inOneQueue(_ tx: StoreTransaction, _ context: CycleContext, available: [Allocator.StockKey: Quantity]) throws -> [(Line, Allocator.Outcome)] {
        let config = context.engine.config
        let full = config.allocationMode == .full
        // Orders whose policy turns with time are looked at every cycle — but only if there are any.
        let timed: Bool
        if case .partAfter = config.shipPolicy { timed = true } else { timed = try tx.anyTimedShipPolicy() }
        // The orders to look at: every order with new lines; back orders whose stock gained, whose order
        // changed, or whose policy turns with time (all back orders in full mode).
        let rows = try tx.allocationQueue(full: full, timed: timed, defaultPolicy: config.shipPolicy)
        let today = context.now.day
        var lines: [Line] = []
        var orders: [Allocator.OrderDemand] = []
        for row in rows {
            let line = row.line
            lines.append(line)
            let demand = Allocator.Demand(lineID: line.id, stock: line.key, quantity: line.quantity)
            if let last = orders.last, last.orderID == line.orderID {
                orders[orders.count - 1].lines.append(demand)
            } else {
                let policy = ShipPolicy.inForce(order: row.orderPolicy, customer: row.customerPolicy, default: config.shipPolicy,
                                                backOrderSince: row.backOrderSince?.day, today: today)
                orders.append(Allocator.OrderDemand(orderID: line.orderID, policy: policy, lines: [demand]))
            }
        }
        let plan = try Allocator().allocate(orders, available: available, splitLines: config.splitLines)
        return Array(zip(lines, plan.outcomes))
    }

    /// Writes the outcomes: lines to picking (funded from their lots), split parts, new lines to back order.
    ///
    /// Each line's outcome is decided here, in Swift, and staged (`StageMover.Batch`); the lines, their
    /// history, the back-order exceptions and the orders now waiting are then written set-based.
    func apply(_ decided: [(Line, Allocator.Outcome)], _ tx: StoreTransaction, _ context: CycleContext) throws -> (StepReport, [Preview]) {
        let mover = StageMover(tx, at: context.now, cycleID: context.cycleID, actor: "rule:allocate")
        let batch = try StageMover.Batch(mover)
        var cursors: [Allocator.StockKey: LotCursor] = [:]
        let funding = LotCursor.Funding()
        var lastCursor: LotCursor? = nil
        /// Allocates `quantity` to a line from its lots and stages its move to picking.
        func pick(_ line: Line, quantity: Quantity, note: String, restWaits: Bool) throws {
            let key = line.key
            let cursor: LotCursor
            if let last = lastCursor, last.place.sku == line.sku, last.place.warehouse == line.warehouse {
                cursor = last // lines come grouped by sku: most picks reuse the previous line's lots
            } else {
                cursor = try cursors[key] ?? LotCursor(tx, at: key.place)
                cursors[key] = cursor
                lastCursor = cursor
            }
            let sources = try cursor.take(quantity, lineID: line.id, funding: funding, tx)
            let reason = "allocated \(quantity)\(note) from \(line.warehouse) (\(sources))"
            try batch.stage(line.id, orderID: line.orderID, from: line.stage, to: .picking, code: nil, reason: reason,
                            allocate: quantity, warehouse: line.warehouse, waits: restWaits)
        }
        var picked = 0, backOrdered = 0
        var preview: [Preview] = []
        var stillShort: [(lineID: Int64, reason: String)] = []
        func show(_ line: Line, _ outcome: String) {
            if dryRun {
                preview.append(Preview(orderRef: line.orderRef, lineNo: line.lineNo, sku: line.sku, quantity: line.quantity,
                                       from: line.stage.rawValue, outcome: outcome))
            }
        }
        for (line, outcome) in decided {
            switch outcome {
            case .allocated:
                picked += 1
                try pick(line, quantity: line.quantity, note: "", restWaits: false)
                show(line, "picking")
            case .partial(let now):
                picked += 1
                let rest = try line.quantity - now
                try mover.split(line.id, orderID: line.orderID, lineNo: line.lineNo, from: line.stage, keep: now, rest: rest,
                                warehouse: line.warehouse, code: "insufficient-stock",
                                stageReason: "split: \(rest) of \(line.quantity) wait for stock in \(line.warehouse)",
                                historyReason: "split from line \(line.lineNo): \(now) allocated now, \(rest) wait for stock")
                try pick(line, quantity: now, note: " of \(line.quantity); the rest waits,", restWaits: true)
                show(line, "picking \(now), back-order \(rest)")
            case .short(let free):
                let reason = free >= line.quantity ? "waits for the rest of its order (ship policy complete)"
                    : "needs \(line.quantity), \(free) available in \(line.warehouse)"
                guard line.stage == .new else {
                    // A back order re-examined (stock arrived, not enough): its reason says what is available now.
                    stillShort.append((line.id, reason))
                    show(line, "back-order")
                    continue
                }
                backOrdered += 1
                try batch.stage(line.id, orderID: line.orderID, from: .new, to: .backOrder, code: "insufficient-stock", reason: reason,
                                warehouse: line.warehouse, waits: true)
                show(line, "back-order")
            }
        }
        try batch.write()
        try tx.updateShortReasons(stillShort)
        try tx.recordBackOrderExceptionsOfStagedMoves(cycleID: context.cycleID)
        for cursor in cursors.values { try cursor.flush(tx) }
        try funding.write(tx)
        for cursor in cursors.values where cursor.taken > 0 {
            try tx.raiseAllocated(by: cursor.taken, at: cursor.place)
        }
        // Orders with a line waiting for stock since this cycle (a back order, or the rest of a split line).
        try tx.markOrdersOfStagedWaitsBackOrdered(since: context.now)
        try batch.clear()
        return (StepReport(step: name, ["picked": picked, "back-ordered": backOrdered, "examined": decided.count]), preview)
    }
}

extension AllocationCandidate {
    /// The allocator's key for the line's stock.
    var key: Allocator.StockKey { Allocator.StockKey(sku: sku, warehouse: warehouse) }
}

extension StockPlace {
    /// The allocator's key for this place.
    var key: Allocator.StockKey { Allocator.StockKey(sku: sku, warehouse: warehouse) }
}

extension Allocator.StockKey {
    /// The store's name for this key.
    var place: StockPlace { StockPlace(sku: sku, warehouse: warehouse) }
}
