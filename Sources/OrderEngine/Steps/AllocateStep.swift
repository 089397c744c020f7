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
    /// How many new lines are decided and written at a time on the sku-by-sku path (see `bySku`).
    public var sliceLines = 50_000
    public init(dryRun: Bool = false, sliceLines: Int = 50_000) {
        self.dryRun = dryRun
        self.sliceLines = max(1, sliceLines)
    }

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

    /// Loads the working set, decides with the pure allocator, persists the decisions: one transaction.
    func allocate(_ tx: StoreTransaction, _ context: CycleContext) throws -> (StepReport, [Preview]) {
        let config = context.engine.config
        let mover = StageMover(tx, at: context.now, cycleID: context.cycleID, actor: .rule("allocate"))
        let batch = try StageMover.Batch(mover)
        var total = Tally()
        if config.allocationMode == .incremental, try everyOrderShipsPart(tx, config) {
            try bySku(tx, splitLines: config.splitLines) { decided in
                total.add(try apply(decided, batch, tx, context))
                try batch.stash()
            }
        } else {
            var available: [Allocator.StockKey: Quantity] = [:]
            for (place, free) in try tx.freeStock() { available[place.key] = free }
            total.add(try apply(try inOneQueue(tx, context, available: available), batch, tx, context))
        }
        try finish(batch, tx, context)
        try tx.clearAllocationTriggers()
        return (StepReport(step: name, ["picked": total.picked, "back-ordered": total.backOrdered, "examined": total.examined]),
                total.preview)
    }

    /// The counts (and preview) of the slices a step applied, added up.
    struct Tally {
        var picked = 0, backOrdered = 0, examined = 0
        var preview: [Preview] = []
        mutating func add(_ slice: (StepReport, [Preview])) {
            picked += slice.0["picked"]; backOrdered += slice.0["back-ordered"]; examined += slice.0["examined"]
            preview += slice.1
        }
    }

    /// Whether the sku-by-sku path applies: no customer or order ships other than `part`.
    func everyOrderShipsPart(_ tx: StoreTransaction, _ config: EngineConfig) throws -> Bool {
        guard case .part = config.shipPolicy else { return false }
        return try !tx.anyShipPolicyOtherThanPart()
    }

    /// Sku by sku: each sku's new lines and back orders in queue order, back orders read from the queue
    /// index only while the sku has stock left. Every (sku, warehouse) is decided on its own (under `part`
    /// no two compete), so the new lines are taken a slice at a time (`sliceLines`, whole places only) and
    /// each slice's decisions handed to `persist` before the next is read (a slice large enough that its
    /// set-based writes cost what one would, small enough that a cold cycle's memory stays flat); then the
    /// places that gained stock or whose orders changed, without new lines, likewise.
    ///
    /// Free stock is read for the places looked at only (the whole stock table is the size of the catalogue,
    /// read for nothing when one receipt came in).
    func bySku(_ tx: StoreTransaction, splitLines: Bool, persist: ([(Line, Allocator.Outcome)]) throws -> Void) throws {
        var others: Set<Allocator.StockKey> = []
        for place in try tx.placesThatGainedStock() { others.insert(place.key) }
        for place in try tx.placesOfChangedOrders() { others.insert(place.key) }
        let backOrders = try tx.backOrderQueue()

        /// Decides `places` (each with its new lines in queue order, possibly none) and persists the decisions.
        func decide(_ places: [(key: Allocator.StockKey, fresh: ArraySlice<Line>)]) throws {
            guard !places.isEmpty else { return }
            var available: [Allocator.StockKey: Quantity] = [:]
            for (place, free) in try tx.freeStock(at: places.map(\.key.place)) { available[place.key] = free }
            var decided: [(Line, Allocator.Outcome)] = []
            for (key, fresh) in places {
                var pool = Allocator.StockPool(free: available[key] ?? .zero, splitLines: splitLines)
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
            try persist(decided)
        }

        // The new lines, a slice at a time; a place whose run continues past the slice waits for the next.
        let count = try tx.stageNewLinesByPlace()
        var position = 0
        var carried: [Line] = []
        while position < count {
            let read = try tx.stagedNewLines(after: position, limit: sliceLines)
            guard !read.isEmpty else { break }
            position += read.count
            let lines = carried + read
            carried = []
            var places: [(key: Allocator.StockKey, fresh: ArraySlice<Line>)] = []
            var start = lines.startIndex
            for i in lines.indices.dropFirst() where lines[i].sku != lines[start].sku || lines[i].warehouse != lines[start].warehouse {
                places.append((lines[start].key, lines[start..<i]))
                start = i
            }
            if position < count {
                carried = Array(lines[start...])
            } else {
                places.append((lines[start].key, lines[start...]))
            }
            for place in places { others.remove(place.key) }
            try decide(places)
        }
        if !carried.isEmpty {
            others.remove(carried[0].key)
            try decide([(carried[0].key, carried[...])])
        }
        try tx.clearStagedNewLines()
        // Places with stock gained or orders changed and no new lines: their back orders only.
        let rest = others.sorted { ($0.sku, $0.warehouse) < ($1.sku, $1.warehouse) }
        for start in stride(from: 0, to: rest.count, by: 1_000) {
            try decide(rest[start..<min(start + 1_000, rest.count)].map { ($0, ArraySlice<Line>()) })
        }
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

    /// Applies one slice's outcomes: lines to picking (funded from their lots), split parts, new lines to
    /// back order, the stock allocated.
    ///
    /// The lines' moves are staged in `batch` (`StageMover.Batch`); `finish` writes them set-based, in line
    /// order, with their history, the back-order exceptions and the orders now waiting, once every slice
    /// is applied.
    func apply(_ decided: [(Line, Allocator.Outcome)], _ batch: StageMover.Batch, _ tx: StoreTransaction,
               _ context: CycleContext) throws -> (StepReport, [Preview]) {
        let mover = batch.mover
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
        try tx.updateShortReasons(stillShort)
        for cursor in cursors.values { try cursor.flush(tx) }
        try funding.write(tx)
        for cursor in cursors.values where cursor.taken > 0 {
            try tx.raiseAllocated(by: cursor.taken, at: cursor.place)
        }
        return (StepReport(step: name, ["picked": picked, "back-ordered": backOrdered, "examined": decided.count]), preview)
    }

    /// Moves every staged line, in line order, with its history; records the back orders' exceptions and
    /// marks the orders now waiting for stock.
    func finish(_ batch: StageMover.Batch, _ tx: StoreTransaction, _ context: CycleContext) throws {
        try batch.write()
        try tx.recordBackOrderExceptionsOfStagedMoves(cycleID: context.cycleID)
        // Orders with a line waiting for stock since this cycle (a back order, or the rest of a split line).
        try tx.markOrdersOfStagedWaitsBackOrdered(since: context.now)
        try batch.clear()
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
