import GRDB
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

    /// A line waiting for stock, as allocation needs it.
    struct Line {
        var id: Int64
        var orderID: Int64
        var lineNo: Int
        var sku: String
        var warehouse: String
        var quantity: Quantity
        var stage: Stage
        var orderRef: String
        var queueKey: String

        /// From a row that starts with `lineColumns`, by position (the hot path reads hundreds of thousands).
        init(_ row: Row) {
            id = row[0]; orderID = row[1]; lineNo = row[2]; sku = row[3]; warehouse = row[4]
            quantity = row[5]; stage = Stage(rawValue: row[6]); orderRef = row[7]; queueKey = row[8] ?? ""
        }

        var key: Allocator.StockKey { Allocator.StockKey(sku: sku, warehouse: warehouse) }
    }

    public func run(_ context: CycleContext) throws -> StepReport {
        let (report, _) = try allocate(context)
        return report
    }

    /// Allocates (or previews); returns the counts and, for a dry run, each line's outcome.
    public func allocate(_ context: CycleContext) throws -> (StepReport, [Preview]) {
        try context.db.write { db in
            var result: (StepReport, [Preview]) = (StepReport(step: name, ["picked": 0, "back-ordered": 0]), [])
            try db.inSavepoint {
                result = try allocate(db, context)
                return dryRun ? .rollback : .commit
            }
            return result
        }
    }

    static let lineColumns = """
        l.id, l.order_id, l.line_no, l.sku, COALESCE(l.warehouse, p.warehouse) AS warehouse, l.quantity, l.stage, o.order_ref, l.queue_key
        """

    func allocate(_ db: Database, _ context: CycleContext) throws -> (StepReport, [Preview]) {
        let config = context.engine.config
        var available: [Allocator.StockKey: Quantity] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT sku, warehouse, on_hand - allocated FROM stock WHERE on_hand > allocated") {
            available[Allocator.StockKey(sku: row[0], warehouse: row[1])] = row[2]
        }
        let decided: [(Line, Allocator.Outcome)]
        if config.allocationMode == .incremental, try everyOrderShipsPart(db, config) {
            decided = try bySku(db, available: available, splitLines: config.splitLines)
        } else {
            decided = try inOneQueue(db, context, available: available)
        }
        let (report, preview) = try apply(decided, db, context)
        try db.execute(sql: "UPDATE stock SET gained = 0 WHERE gained = 1")
        try db.execute(sql: "UPDATE sales_order SET changed = 0 WHERE changed = 1")
        return (report, preview)
    }

    /// Whether the sku-by-sku path applies: no customer or order ships other than `part`.
    func everyOrderShipsPart(_ db: Database, _ config: EngineConfig) throws -> Bool {
        guard case .part = config.shipPolicy else { return false }
        return try !(Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM customer WHERE ship_policy IS NOT NULL AND ship_policy <> 'part')
                OR EXISTS (SELECT 1 FROM sales_order WHERE ship_policy IS NOT NULL AND ship_policy <> 'part')
            """) ?? true)
    }

    /// Sku by sku: each sku's new lines and back orders in queue order, back orders read from the queue
    /// index only while the sku has stock left.
    func bySku(_ db: Database, available: [Allocator.StockKey: Quantity], splitLines: Bool) throws -> [(Line, Allocator.Outcome)] {
        var keys: Set<Allocator.StockKey> = []
        for row in try Row.fetchAll(db, sql: "SELECT sku, warehouse FROM stock WHERE gained = 1") {
            keys.insert(Allocator.StockKey(sku: row[0], warehouse: row[1]))
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT DISTINCT l.sku, COALESCE(l.warehouse, p.warehouse) FROM sales_order o CROSS JOIN order_line l ON l.order_id = o.id
            JOIN product p ON p.sku = l.sku
            WHERE o.changed = 1 AND l.stage IN ('new', 'back-order') AND p.drop_ship = 0
            """) {
            keys.insert(Allocator.StockKey(sku: row[0], warehouse: row[1]))
        }
        // New lines in (sku, warehouse, queue) order (read from the stage index in order order, which keeps
        // the row reads sequential, then sorted); each (sku, warehouse) is then a range of one array.
        var newLines: [Line] = []
        var ranges: [Allocator.StockKey: Range<Int>] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT \(Self.lineColumns) FROM order_line l JOIN sales_order o ON o.id = l.order_id JOIN product p ON p.sku = l.sku
            WHERE l.stage = 'new' AND o.credit_state = 'passed' AND p.drop_ship = 0
            ORDER BY l.sku, warehouse, l.queue_key
            """)
        // A range is recorded when its run of rows ends: one hash per (sku, warehouse), not per line.
        var start = 0
        func closeRun() {
            guard start < newLines.count else { return }
            let key = newLines[start].key
            ranges[key] = start..<newLines.count
            keys.insert(key)
            start = newLines.count
        }
        while let row = try rows.next() {
            let line = Line(row)
            if start < newLines.count, newLines[start].sku != line.sku || newLines[start].warehouse != line.warehouse { closeRun() }
            newLines.append(line)
        }
        closeRun()
        var decided: [(Line, Allocator.Outcome)] = []
        let backOrders = try db.cachedStatement(sql: """
            SELECT \(Self.lineColumns) FROM order_line l JOIN sales_order o ON o.id = l.order_id JOIN product p ON p.sku = l.sku
            WHERE l.sku = ? AND l.warehouse = ? AND l.stage = 'back-order'
            ORDER BY l.queue_key
            """)
        for key in keys.sorted(by: { ($0.sku, $0.warehouse) < ($1.sku, $1.warehouse) }) {
            var pool = Allocator.StockPool(free: available[key] ?? .zero, splitLines: splitLines)
            let fresh = ranges[key].map { newLines[$0] } ?? []
            var next = fresh.startIndex
            func decide(_ line: Line) throws {
                decided.append((line, try pool.serve(line.quantity)))
            }
            if pool.free > .zero {
                let cursor = try Row.fetchCursor(backOrders, arguments: [key.sku, key.warehouse])
                while pool.free > .zero, let row = try cursor.next() {
                    let line = Line(row)
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
    func inOneQueue(_ db: Database, _ context: CycleContext, available: [Allocator.StockKey: Quantity]) throws -> [(Line, Allocator.Outcome)] {
        let config = context.engine.config
        let full = config.allocationMode == .full
        let policySQL = "COALESCE(o.ship_policy, c.ship_policy, ?)"
        let defaultPolicy = config.shipPolicy.description
        // Orders whose policy turns with time are looked at every cycle — but only if there are any.
        let timed: Bool
        if case .partAfter = config.shipPolicy { timed = true } else {
            timed = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM customer WHERE ship_policy LIKE 'part-after:%')
                    OR EXISTS (SELECT 1 FROM sales_order WHERE ship_policy IS NOT NULL AND ship_policy LIKE 'part-after:%')
                """) ?? false
        }
        // The orders to look at: every order with new lines; back orders whose stock gained, whose order
        // changed, or whose policy turns with time (all back orders in full mode).
        let rows = try Row.fetchAll(db, sql: """
            WITH candidates AS (
                SELECT l.order_id FROM order_line l JOIN sales_order o ON o.id = l.order_id JOIN product p ON p.sku = l.sku
                WHERE l.stage = 'new' AND o.credit_state = 'passed' AND p.drop_ship = 0
                UNION
                SELECT l.order_id FROM stock s CROSS JOIN order_line l INDEXED BY order_line_queue
                    ON l.stage = 'back-order' AND l.sku = s.sku AND l.warehouse = s.warehouse
                WHERE s.gained = 1
                UNION
                SELECT id FROM sales_order WHERE changed = 1
                \(full ? "UNION SELECT order_id FROM order_line WHERE stage = 'back-order'" : "")
                \(timed && !full ? """
                UNION
                SELECT l.order_id FROM order_line l JOIN sales_order o ON o.id = l.order_id LEFT JOIN customer c ON c.customer_ref = o.customer_ref
                WHERE l.stage = 'back-order' AND \(policySQL) LIKE 'part-after:%'
                """ : "")
            )
            SELECT \(Self.lineColumns), o.back_order_since, o.ship_policy AS order_policy, c.ship_policy AS customer_policy
            FROM candidates x CROSS JOIN sales_order o ON o.id = x.order_id
            CROSS JOIN order_line l ON l.order_id = o.id
            JOIN product p ON p.sku = l.sku
            LEFT JOIN customer c ON c.customer_ref = o.customer_ref
            WHERE ((l.stage = 'new' AND o.credit_state = 'passed') OR l.stage = 'back-order') AND p.drop_ship = 0
            ORDER BY o.priority DESC, o.order_date, o.id, l.line_no, l.part
            """, arguments: timed && !full ? [defaultPolicy] : [])
        let today = context.now.day
        var lines: [Line] = []
        var orders: [Allocator.OrderDemand] = []
        for row in rows {
            let line = Line(row)
            lines.append(line)
            let demand = Allocator.Demand(lineID: line.id, stock: line.key, quantity: line.quantity)
            if let last = orders.last, last.orderID == line.orderID {
                orders[orders.count - 1].lines.append(demand)
            } else {
                let since = (row["back_order_since"] as String?).flatMap(Timestamp.init(iso8601:))?.day
                // Stored policies were parsed at import; one that no longer parses counts as not stated.
                let policy = ShipPolicy.inForce(order: (row["order_policy"] as String?).flatMap(ShipPolicy.init(parsing:)),
                                                customer: (row["customer_policy"] as String?).flatMap(ShipPolicy.init(parsing:)),
                                                default: config.shipPolicy, backOrderSince: since, today: today)
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
    func apply(_ decided: [(Line, Allocator.Outcome)], _ db: Database, _ context: CycleContext) throws -> (StepReport, [Preview]) {
        let mover = StageMover(db: db, at: context.now, cycleID: context.cycleID, actor: "rule:allocate")
        let batch = try StageMover.Batch(mover)
        var cursors: [Allocator.StockKey: LotCursor] = [:]
        let funding = LotCursor.Funding()
        var lastCursor: LotCursor? = nil
        let nowText = context.now.description
        /// Allocates `quantity` to a line from its lots and stages its move to picking.
        func pick(_ line: Line, quantity: Quantity, note: String, restWaits: Bool) throws {
            let key = line.key
            let cursor: LotCursor
            if let last = lastCursor, last.sku == key.sku, last.warehouse == key.warehouse {
                cursor = last // lines come grouped by sku: most picks reuse the previous line's lots
            } else {
                cursor = try cursors[key] ?? LotCursor(db, sku: key.sku, warehouse: key.warehouse)
                cursors[key] = cursor
                lastCursor = cursor
            }
            let sources = try cursor.take(quantity, lineID: line.id, funding: funding, db)
            let reason = "allocated \(quantity)\(note) from \(line.warehouse) (\(sources))"
            try batch.stage(line.id, orderID: line.orderID, from: line.stage, to: .picking, code: nil, reason: reason,
                            allocate: quantity, warehouse: line.warehouse, waits: restWaits)
        }
        var picked = 0, backOrdered = 0
        var preview: [Preview] = []
        var stillShort: [(Int64, String)] = []
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
        if !stillShort.isEmpty {
            // Only a reason allocation wrote is replaced (a stock count's or a person's says why the line came back).
            let update = try db.makeStatement(sql: """
                UPDATE order_line SET stage_reason = ? WHERE id = ? AND stage = 'back-order' AND stage_reason IS NOT ?
                  AND (stage_reason LIKE 'needs %' OR stage_reason = 'waits for the rest of its order (ship policy complete)')
                """)
            for (id, reason) in stillShort { try update.execute(arguments: [reason, id, reason]) }
        }
        try db.execute(sql: """
            INSERT INTO exception (cycle_id, kind, order_ref, line_no, sku, reason, source_file, source_line)
            SELECT ?, 'back-order', o.order_ref, l.line_no, l.sku, p.reason, f.name, l.source_line
            FROM staged_move p JOIN order_line l ON l.id = p.line_id JOIN sales_order o ON o.id = p.order_id
            JOIN source_file f ON f.id = o.source_file_id
            WHERE p.to_stage = 'back-order' ORDER BY p.line_id
            """, arguments: [context.cycleID])
        for cursor in cursors.values { try cursor.flush(db) }
        try funding.write(db)
        let stockUpdate = try db.cachedStatement(sql: "UPDATE stock SET allocated = allocated + ? WHERE sku = ? AND warehouse = ?")
        for cursor in cursors.values where cursor.taken > 0 {
            try stockUpdate.execute(arguments: [cursor.taken, cursor.sku, cursor.warehouse])
        }
        // Orders with a line waiting for stock since this cycle (a back order, or the rest of a split line).
        try db.execute(sql: """
            UPDATE sales_order SET back_order_since = ?
            WHERE id IN (SELECT order_id FROM staged_move WHERE waits = 1) AND back_order_since IS NULL
            """, arguments: [nowText])
        try batch.clear()
        return (StepReport(step: name, ["picked": picked, "back-ordered": backOrdered, "examined": decided.count]), preview)
    }
}
